"""The account pages: sign up, sign in, sign out. They work without JavaScript."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pyotp
import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import ValidationError

from diary.accounts.auth import (
    CLEAR_SITE_DATA,
    login_limits,
    login_required,
    password_hasher,
    sign_in,
    sign_out,
)
from diary.database import utcnow
from diary.errors import Conflict, ValidationFailed
from diary.extensions import db
from diary.http import form_data, safe_next
from diary.models import User
from diary.schemas.accounts import LoginSchema, PasswordChangeSchema, RegisterSchema
from diary.schemas.common import known_timezones
from diary.services import accounts as accounts_service
from diary.services import sessions as sessions_service
from diary.services import two_factor

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
            if user is not None and user.totp_enabled_at is not None:
                db.session.commit()  # keep a rehashed password
                session[PENDING] = {"uid": str(user.id), "at": time.time(), "tries": 0}
                return redirect(url_for("accounts.second_step", next=next_url))
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


PENDING = "second_step"
PENDING_SECONDS = 300
PENDING_TRIES = 5


def _pending_user() -> User | None:
    """The account whose password was right a moment ago, waiting for its second step."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    try:
        return db.session.get(User, uuid.UUID(str(pending.get("uid"))))
    except ValueError:
        return None


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_step() -> ResponseReturnValue:
    next_url = safe_next(request.values.get("next"))
    user = _pending_user()
    if user is None:
        flash("Please sign in again.", "error")
        return redirect(url_for("accounts.sign_in_page", next=next_url))
    error = None
    status = 200
    if request.method == "POST":
        code = request.form.get("otp", "")[:12]
        recovery = request.form.get("recovery_code", "")[:40]
        if two_factor.second_factor_ok(db.session, user, code, recovery, utcnow()):
            sign_in(user)
            db.session.commit()
            return redirect(next_url)
        session[PENDING]["tries"] += 1
        session.modified = True
        if session[PENDING]["tries"] >= PENDING_TRIES:
            session.pop(PENDING, None)
            flash("Too many wrong codes. Please sign in again.", "error")
            return redirect(url_for("accounts.sign_in_page", next=next_url))
        error, status = "That code is not right. Check the time on your phone and try again.", 401
    return render_template("accounts/second_step.html", error=error, next=next_url), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            data = PasswordChangeSchema().load(form_data())
            user = current_user._get_current_object()
            now = utcnow()
            accounts_service.change_password(
                db.session,
                password_hasher(),
                user,
                data["current_password"],
                data["new_password"],
                now,
            )
        except ValidationError as error:
            errors, status = _first_errors(error.messages), 422
        except ValidationFailed as error:
            errors, status = _first_errors(error.errors), 422
        else:
            sessions_service.end_all(db.session, user, now)
            sign_in(user)
            db.session.commit()
            flash("Password changed. You were signed out everywhere else.", "notice")
            return redirect(url_for("settings.index"))
    return render_template("accounts/password.html", errors=errors), status


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
def two_step() -> ResponseReturnValue:
    """Set up, confirm or turn off two-step sign-in."""
    user = current_user._get_current_object()
    context: dict[str, Any] = {"errors": {}}
    status = 200
    action = request.form.get("action") if request.method == "POST" else None
    try:
        if action == "start":
            uri = two_factor.start(db.session, user)
            context["setup"] = {
                "secret": user.totp_secret,
                "qr": segno.make(uri, error="m").svg_inline(
                    scale=4, title="QR code to scan with your authenticator app"
                ),
            }
        elif action == "confirm":
            context["recovery_codes"] = two_factor.confirm(
                db.session, user, request.form.get("otp", "")[:12], utcnow()
            )
        elif action == "off":
            if not accounts_service.password_matches(
                password_hasher(), user, request.form.get("password", "")[:1024]
            ):
                raise ValidationFailed({"password": ["That is not your password."]})
            two_factor.disable(db.session, user)
            flash("Two-step sign-in is off.", "notice")
    except ValidationFailed as error:
        db.session.rollback()
        context["errors"], status = _first_errors(error.errors), 422
        if action == "confirm" and user.totp_secret:
            context["setup"] = {
                "secret": user.totp_secret,
                "qr": segno.make(
                    pyotp.TOTP(user.totp_secret).provisioning_uri(
                        name=user.email, issuer_name=two_factor.ISSUER
                    ),
                    error="m",
                ).svg_inline(scale=4, title="QR code to scan with your authenticator app"),
            }
    except Conflict as error:
        db.session.rollback()
        flash(error.detail, "error")
    db.session.commit()
    context["codes_left"] = two_factor.recovery_codes_left(db.session, user)
    return render_template("accounts/two_step.html", user=user, **context), status


@bp.post("/sign-out")
def sign_out_page() -> ResponseReturnValue:
    sign_out()
    db.session.commit()
    response = redirect(url_for("accounts.sign_in_page"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
