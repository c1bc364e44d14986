"""The settings page, and deleting the account. Each concern is its own section of the page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.api import reauth_limit
from diary.accounts.auth import CLEAR_SITE_DATA, login_required, password_hasher, sign_out
from diary.extensions import db
from diary.services import accounts as accounts_service
from diary.services import deletion as deletion_service

bp = Blueprint("settings", __name__)


@bp.get("/settings")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "settings/index.html",
        user=current_user,
        has_reminders="reminders.index" in current_app.view_functions,
    )


@bp.get("/settings/delete")
@login_required
def delete_form() -> ResponseReturnValue:
    return render_template("settings/delete.html", errors={})


@bp.post("/settings/delete")
@login_required
@reauth_limit
def delete_account() -> ResponseReturnValue:
    errors = {}
    if request.form.get("confirm") != "yes":
        errors["confirm"] = "Tick the box to confirm that the diary cannot be brought back."
    password = request.form.get("password", "")
    if not accounts_service.password_matches(password_hasher(), current_user, password):
        errors["password"] = "That is not your password. Nothing was deleted."  # noqa: S105 -- a message, not a password
    if errors:
        status = 403 if "password" in errors else 422
        return render_template("settings/delete.html", errors=errors), status
    deletion_service.erase_account(db.session, current_user)
    sign_out()
    db.session.commit()
    return render_template("settings/deleted.html"), 200, {"Clear-Site-Data": CLEAR_SITE_DATA}
