"""The accounts API: CSRF token, register, sign in and out, me."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from diary.accounts.auth import (
    CLEAR_SITE_DATA,
    login_limits,
    login_required,
    password_hasher,
    sign_in,
    sign_out,
)
from diary.errors import problem
from diary.extensions import db, limiter
from diary.http import doc, dump, load_json
from diary.schemas.accounts import CsrfSchema, LoginSchema, RegisterSchema, UserSchema
from diary.schemas.exports import AccountDeleteSchema
from diary.services import accounts as accounts_service
from diary.services import deletion as deletion_service

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")

TAGS = ["accounts"]


@bp.get("/auth/csrf")
@doc("Get a CSRF token (starts a session)", tags=TAGS, responses={200: CsrfSchema}, public=True)
def csrf_token() -> ResponseReturnValue:
    return {"csrf_token": generate_csrf()}


@bp.post("/auth/register")
@doc(
    "Create an account",
    tags=TAGS,
    body=RegisterSchema,
    responses={201: UserSchema, 409: "E-mail taken"},
    public=True,
)
def register() -> ResponseReturnValue:
    data = load_json(RegisterSchema())
    user = accounts_service.register(
        db.session, password_hasher(), accounts_service.NewUser(**data)
    )
    db.session.commit()
    return dump(UserSchema(), user, 201)


@bp.post("/auth/login")
@login_limits()
@doc(
    "Sign in",
    tags=TAGS,
    body=LoginSchema,
    responses={200: UserSchema, 401: "Wrong e-mail or password"},
    public=True,
)
def login() -> ResponseReturnValue:
    data = load_json(LoginSchema())
    user = accounts_service.authenticate(
        db.session, password_hasher(), data["email"], data["password"]
    )
    if user is None:
        return problem(
            401, "The e-mail address or the password is not right.", title="Unauthorized"
        )
    sign_in(user)
    db.session.commit()
    return dump(UserSchema(), user)


@bp.post("/auth/logout")
@doc("Sign out", tags=TAGS, responses={204: "Signed out"}, public=True)
def logout() -> ResponseReturnValue:
    sign_out()
    db.session.commit()
    return "", 204, {"Clear-Site-Data": CLEAR_SITE_DATA}


@bp.get("/me")
@login_required
@doc("Who am I", tags=TAGS, responses={200: UserSchema})
def me() -> ResponseReturnValue:
    return dump(UserSchema(), current_user)


def _reauth_key() -> str:
    return f"reauth:{current_user.get_id()}"


# A stolen session must not be able to guess the password here at leisure.
reauth_limit = limiter.limit(
    "10 per 15 minutes",
    key_func=_reauth_key,
    deduct_when=lambda response: response.status_code == 403,
    methods=["DELETE", "POST"],
)


@bp.delete("/me")
@login_required
@reauth_limit
@doc(
    "Delete my account and everything in it, for good (asks for the password again)",
    tags=TAGS,
    body=AccountDeleteSchema,
    responses={204: "Deleted; the session has ended", 403: "The password is not right"},
)
def delete_me() -> ResponseReturnValue:
    data = load_json(AccountDeleteSchema())
    if not accounts_service.verify_password(password_hasher(), current_user, data["password"]):
        return problem(
            403,
            "That is not the password of this account; nothing was deleted.",
            title="Forbidden",
            errors={"password": ["That is not your password."]},
        )
    deletion_service.erase_account(db.session, current_user)
    sign_out()
    db.session.commit()
    return "", 204, {"Clear-Site-Data": CLEAR_SITE_DATA}
