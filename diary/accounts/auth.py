"""The edge's side of signing in: cookies, the user loader, the login rate limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import flask_login
from argon2 import PasswordHasher
from flask import Flask, current_app, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from diary.database import utcnow
from diary.errors import problem, wants_problem_json
from diary.extensions import db, limiter, login_manager
from diary.models import User
from diary.services import accounts as accounts_service
from diary.services import sessions as sessions_service

SESSION_ID_KEY = "sid"
# Sent with a sign-out: the browser drops what this site stored (the offline queue, the
# service worker's caches), so nothing of the diary stays on a shared phone.
CLEAR_SITE_DATA = '"cache", "storage"'

F = TypeVar("F", bound=Callable[..., Any])

# flask_login ships no types; this keeps the views typed.
login_required = cast(Callable[[F], F], flask_login.login_required)


def password_hasher() -> PasswordHasher:
    """The app's argon2id hasher, built once from its configuration."""
    hasher: PasswordHasher | None = current_app.extensions.get("diary.hasher")
    if hasher is None:
        hasher = accounts_service.make_hasher(
            current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_KIB"]
        )
        current_app.extensions["diary.hasher"] = hasher
    return hasher


def sign_in(user: User) -> None:
    """Start a fresh session for the user (a new id, never the one they came with)."""
    session.clear()
    token = sessions_service.start(
        db.session, user, utcnow(), request.headers.get("User-Agent", "")
    )
    session.permanent = True
    session[SESSION_ID_KEY] = token
    login_user(user)


def sign_out() -> None:
    """End the server-side session, so a copied cookie no longer works."""
    token = session.get(SESSION_ID_KEY)
    if token:
        sessions_service.end(db.session, token, utcnow())
    logout_user()
    session.clear()


def _load_user(user_id: str) -> User | None:
    config = current_app.config
    user = sessions_service.resume(
        db.session,
        user_id,
        session.get(SESSION_ID_KEY),
        utcnow(),
        idle=config["SESSION_IDLE"],
        lifetime=config["PERMANENT_SESSION_LIFETIME"],
    )
    # The loader runs before any view work, so this commits only the session's own touch.
    if db.session.dirty:
        db.session.commit()
    return user


def _unauthorized() -> Any:
    if wants_problem_json():
        return problem(401, "Please sign in.", title="Unauthorized")
    return redirect(url_for("accounts.sign_in_page", next=request.full_path.rstrip("?")))


def _load_current_user() -> None:
    # Resolving the user first means its session touch is committed before the view runs.
    _ = current_user.is_authenticated


def _login_email() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    email = body.get("email") if isinstance(body, dict) else request.form.get("email")
    return f"login-email:{str(email or '').strip().lower()[:254]}"


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def login_limits() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Count failed sign-ins per account and per address, across API and pages."""
    per_account = limiter.shared_limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        scope="login-account",
        key_func=_login_email,
        deduct_when=_failed_login,
        methods=["POST"],
    )
    per_address = limiter.shared_limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
        scope="login-address",
        deduct_when=_failed_login,
        methods=["POST"],
    )

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return per_address(per_account(view))

    return decorate


def register_auth(app: Flask) -> None:
    """Wire Flask-Login to the server-side sessions."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = None  # the server-side session is the protection
    app.before_request(_load_current_user)
