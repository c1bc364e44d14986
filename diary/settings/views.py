"""The settings page. Each concern is its own section of the template, so more can join."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required

bp = Blueprint("settings", __name__)


@bp.get("/settings")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "settings/index.html",
        user=current_user,
        has_reminders="reminders.index" in current_app.view_functions,
    )
