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
from diary.database import utcnow
from diary.errors import ValidationFailed, problem
from diary.extensions import db, limiter
from diary.http import doc, dump, load_json
from diary.schemas.accounts import (
    CsrfSchema,
    LoginSchema,
    PasswordChangeSchema,
    ReauthSchema,
    RecoveryCodesSchema,
    RegisterSchema,
    TotpConfirmSchema,
    TotpStartSchema,
    UserSchema,
)
from diary.schemas.exports import AccountDeleteSchema
from diary.services import accounts as accounts_service
from diary.services import deletion as deletion_service
from diary.services import sessions as sessions_service
from diary.services import two_factor

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
    if user.totp_enabled_at is not None and not two_factor.second_factor_ok(
        db.session, user, data["otp"], data["recovery_code"], utcnow()
    ):
        db.session.commit()  # a rehashed password is kept even when the code is missing
        return problem(
            401,
            "Enter the 6-digit code from your authenticator app (otp), or a recovery code.",
            title="Second step needed",
            errors={"otp": ["Enter the code from your authenticator app."]},
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


@bp.post("/auth/password")
@login_required
@doc(
    "Change my password (every other sign-in ends)",
    tags=TAGS,
    body=PasswordChangeSchema,
    responses={204: "Changed; this browser gets a fresh session"},
)
def change_password() -> ResponseReturnValue:
    data = load_json(PasswordChangeSchema())
    user = current_user._get_current_object()
    now = utcnow()
    accounts_service.change_password(
        db.session, password_hasher(), user, data["current_password"], data["new_password"], now
    )
    sessions_service.end_all(db.session, user, now)
    sign_in(user)
    db.session.commit()
    return "", 204


@bp.post("/auth/totp")
@login_required
@doc(
    "Start setting up two-step sign-in (not in force until confirmed)",
    tags=TAGS,
    responses={200: TotpStartSchema, 409: "Already on"},
)
def totp_start() -> ResponseReturnValue:
    uri = two_factor.start(db.session, current_user)
    db.session.commit()
    return dump(TotpStartSchema(), {"secret": current_user.totp_secret, "otpauth_uri": uri})


@bp.post("/auth/totp/confirm")
@login_required
@doc(
    "Confirm with a first code; the recovery codes are shown this once",
    tags=TAGS,
    body=TotpConfirmSchema,
    responses={200: RecoveryCodesSchema, 409: "Not started, or already on"},
)
def totp_confirm() -> ResponseReturnValue:
    data = load_json(TotpConfirmSchema())
    codes = two_factor.confirm(db.session, current_user, data["otp"], utcnow())
    db.session.commit()
    return dump(RecoveryCodesSchema(), {"recovery_codes": codes})


@bp.delete("/auth/totp")
@login_required
@doc(
    "Turn two-step sign-in off (needs the password)",
    tags=TAGS,
    body=ReauthSchema,
    responses={204: "Off"},
)
def totp_disable() -> ResponseReturnValue:
    data = load_json(ReauthSchema())
    if not accounts_service.password_matches(password_hasher(), current_user, data["password"]):
        raise ValidationFailed({"password": ["That is not your password."]})
    two_factor.disable(db.session, current_user)
    db.session.commit()
    return "", 204


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
    if not accounts_service.password_matches(password_hasher(), current_user, data["password"]):
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
