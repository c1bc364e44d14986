"""The account pages: sign up, sign in, sign out. They work without JavaScript."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import ValidationError

from diary.accounts.auth import (
    CLEAR_SITE_DATA,
    login_limits,
    password_hasher,
    sign_in,
    sign_out,
)
from diary.errors import Conflict
from diary.extensions import db
from diary.http import form_data, safe_next
from diary.schemas.accounts import LoginSchema, RegisterSchema
from diary.schemas.common import known_timezones
from diary.services import accounts as accounts_service

bp = Blueprint("accounts", __name__)


def _first_errors(messages: Any) -> dict[str, str]:
    """One message per field is enough next to a form field."""
    if not isinstance(messages, dict):
        return {"_schema": str(messages)}
    return {
        key: (value[0] if isinstance(value, list) and value else str(value))
        for key, value in messages.items()
    }


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    values: dict[str, Any] = {"timezone": "UTC"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = form_data()
        try:
            data = RegisterSchema().load(values)
            user = accounts_service.register(
                db.session, password_hasher(), accounts_service.NewUser(**data)
            )
        except ValidationError as error:
            errors, status = _first_errors(error.messages), 422
        except Conflict as error:
            errors, status = {"email": error.detail}, 409
        else:
            sign_in(user)
            db.session.commit()
            return redirect(url_for("main.home"))
    return (
        render_template(
            "accounts/sign_up.html",
            values=values,
            errors=errors,
            timezones=sorted(known_timezones()),
        ),
        status,
    )


@bp.route("/sign-in", methods=["GET", "POST"])
@login_limits()
def sign_in_page() -> ResponseReturnValue:
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = form_data()
        try:
            data = LoginSchema().load(values)
        except ValidationError as error:
            errors, status = _first_errors(error.messages), 422
        else:
            user = accounts_service.authenticate(
                db.session, password_hasher(), data["email"], data["password"]
            )
            if user is not None:
                sign_in(user)
                db.session.commit()
                return redirect(next_url)
            errors, status = {"_schema": "The e-mail address or the password is not right."}, 401
    values.pop("password", None)
    return (
        render_template("accounts/sign_in.html", values=values, errors=errors, next=next_url),
        status,
    )


@bp.post("/sign-out")
def sign_out_page() -> ResponseReturnValue:
    sign_out()
    db.session.commit()
    response = redirect(url_for("accounts.sign_in_page"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
