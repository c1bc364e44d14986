"""Home and /healthz."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from diary.database import utcnow
from diary.extensions import db
from diary.services import entries as entries_service
from diary.services import treatments as treatments_service

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    page = entries_service.list_entries(db.session, current_user, limit=3)
    today = entries_service.local_date_of(utcnow(), current_user.timezone)
    today_count = entries_service.count_on_day(db.session, current_user, today)
    had_infusions = treatments_service.last_infusion(db.session, current_user) is not None
    return render_template(
        "main/home.html",
        last_entries=page.items,
        today_count=today_count,
        had_infusions=had_infusions,
    )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        response = jsonify({"status": "error", "database": "unreachable"})
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    return {"status": "ok", "database": "ok"}


# The main navigation; a page appears once its feature's blueprint is registered.
NAV = (
    ("main.home", "Today"),
    ("entries.new", "Log pain"),
    ("entries.index", "Diary"),
    ("trends.index", "Trends"),
)
# Under "More": one row of navigation on a phone leaves the screen to the diary.
NAV_MORE = (
    ("treatments.index", "Treatments"),
    ("questionnaires.index", "Questionnaires"),
    ("reminders.index", "Reminders"),
    ("care_team.index", "Care team"),
    ("settings.index", "Settings"),
)


@bp.app_context_processor
def navigation() -> dict[str, object]:
    def nav_items(more: bool = False) -> list[tuple[str, str]]:
        items = NAV_MORE if more else NAV
        return [(e, label) for e, label in items if e in current_app.view_functions]

    return {"nav_items": nav_items}
