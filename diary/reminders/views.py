"""The reminders page: add, edit, pause, remove; test; the calendar (.ics) download.

Everything but subscribing this browser to push works without JavaScript.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from icalendar import Alarm, Calendar, Event
from marshmallow import ValidationError
from sqlalchemy import func, select

from diary.accounts.auth import login_required
from diary.database import utcnow
from diary.errors import ValidationFailed
from diary.extensions import db
from diary.models import PushSubscription, ReminderSchedule
from diary.reminders.notify import send_test
from diary.reminders.schedule import zone
from diary.reminders.scheduler import dispatcher_for
from diary.schemas.reminders import ReminderInSchema, ReminderPatchSchema
from diary.services import reminders as reminders_service

bp = Blueprint("reminders", __name__)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def describe_days(days: list[int]) -> str:
    """Every day, Weekdays, Weekends, or the days by name."""
    chosen = sorted(days)
    if chosen == list(range(7)):
        return "Every day"
    if chosen == list(range(5)):
        return "Weekdays"
    if chosen == [5, 6]:
        return "Weekends"
    return ", ".join(DAY_NAMES[day][:3] for day in chosen)


def _form_input(form: Any) -> dict[str, Any]:
    """The JSON body the API would get for this form (checked by the same schema)."""

    def number(value: str) -> Any:
        return int(value) if value.isdigit() and len(value) <= 2 else value

    data: dict[str, Any] = {
        "time": (form.get("time") or "")[:5],
        "days": [number(value) for value in form.getlist("day")],
        "channels": form.getlist("channel"),
    }
    return data


def _errors(messages: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, value in (messages or {}).items():
        while isinstance(value, dict | list) and value:
            value = next(iter(value.values())) if isinstance(value, dict) else value[0]
        errors[str(key)] = str(value)
    return errors


def _values_of(schedule: ReminderSchedule | None) -> dict[str, Any]:
    if schedule is None:
        return {"time": "20:00", "days": list(range(7)), "channels": ["push"]}
    return {
        "time": schedule.local_time.strftime("%H:%M"),
        "days": list(schedule.days),
        "channels": list(schedule.channels),
    }


def _render_index(
    values: dict[str, Any], errors: dict[str, str], status: int
) -> ResponseReturnValue:
    reminders = reminders_service.list_reminders(db.session, current_user)
    browsers = db.session.scalar(
        select(func.count()).where(PushSubscription.user_id == current_user.id)
    )
    return (
        render_template(
            "reminders/index.html",
            reminders=reminders,
            values=values,
            errors=errors,
            day_names=DAY_NAMES,
            describe_days=describe_days,
            browsers=browsers or 0,
            uses_email=any("email" in reminder.channels for reminder in reminders),
            email_ready=bool(current_app.config["SMTP_URL"]),
        ),
        status,
    )


@bp.get("/reminders")
@login_required
def index() -> ResponseReturnValue:
    return _render_index(_values_of(None), {}, 200)


@bp.post("/reminders")
@login_required
def create() -> ResponseReturnValue:
    values = _form_input(request.form)
    try:
        data = ReminderInSchema().load(values)
        reminders_service.create_reminder(db.session, current_user, data, utcnow())
    except ValidationError as error:
        return _render_index(values, _errors(error.messages), 422)
    except ValidationFailed as error:
        return _render_index(values, _errors(error.errors), 422)
    db.session.commit()
    flash(f"Reminder added for {data['time'].strftime('%H:%M')}.", "notice")
    return redirect(url_for("reminders.index"))


@bp.route("/reminders/<uuid:reminder_id>/edit", methods=["GET", "POST"])
@login_required
def edit(reminder_id: uuid.UUID) -> ResponseReturnValue:
    schedule = reminders_service.get_reminder(db.session, current_user, reminder_id)
    values, errors, status = _values_of(schedule), {}, 200
    if request.method == "POST":
        values = _form_input(request.form)
        try:
            changes = ReminderPatchSchema().load(values)
            reminders_service.update_reminder(db.session, current_user, schedule, changes, utcnow())
        except ValidationError as error:
            errors, status = _errors(error.messages), 422
        else:
            db.session.commit()
            flash("Reminder changed.", "notice")
            return redirect(url_for("reminders.index"))
    return (
        render_template(
            "reminders/edit.html",
            schedule=schedule,
            values=values,
            errors=errors,
            day_names=DAY_NAMES,
            email_ready=bool(current_app.config["SMTP_URL"]),
        ),
        status,
    )


@bp.post("/reminders/<uuid:reminder_id>/pause")
@login_required
def pause(reminder_id: uuid.UUID) -> ResponseReturnValue:
    schedule = reminders_service.get_reminder(db.session, current_user, reminder_id)
    enabled = not schedule.enabled
    reminders_service.update_reminder(
        db.session, current_user, schedule, {"enabled": enabled}, utcnow()
    )
    db.session.commit()
    time_text = schedule.local_time.strftime("%H:%M")
    flash(f"The {time_text} reminder is {'back on' if enabled else 'paused'}.", "notice")
    return redirect(url_for("reminders.index"))


@bp.post("/reminders/<uuid:reminder_id>/delete")
@login_required
def delete(reminder_id: uuid.UUID) -> ResponseReturnValue:
    schedule = reminders_service.get_reminder(db.session, current_user, reminder_id)
    time_text = schedule.local_time.strftime("%H:%M")
    reminders_service.delete_reminder(db.session, schedule)
    db.session.commit()
    flash(f"The {time_text} reminder is removed.", "notice")
    return redirect(url_for("reminders.index"))


@bp.post("/reminders/test")
@login_required
def test() -> ResponseReturnValue:
    result = send_test(db.session, current_user, dispatcher_for(current_app), utcnow())
    db.session.commit()
    parts = []
    if result["push_sent"]:
        parts.append(f"A test notification went to {result['push_sent']} browser(s).")
    else:
        parts.append("No browser is set up for notifications yet.")
    if result["email"] == "sent":
        parts.append("A test e-mail is on its way.")
    elif result["email"] != "not used":
        parts.append("The test e-mail could not be sent just now.")
    flash(
        " ".join(parts), "notice" if result["push_sent"] or result["email"] == "sent" else "error"
    )
    return redirect(url_for("reminders.index"))


def _calendar(schedules: list[ReminderSchedule], timezone: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Pain Diary//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Pain diary reminders")
    tz = zone(timezone)
    log_url = url_for("entries.new", _external=True)
    for schedule in schedules:
        if not schedule.enabled or not schedule.days:
            continue
        first = (schedule.next_fire_at or now).astimezone(tz).date()
        event = Event()
        event.add("uid", f"{schedule.id}@pain-diary")
        event.add("dtstamp", now)
        event.add("summary", "Pain diary")
        event.add("description", f"A moment for your diary: {log_url}")
        event.add("dtstart", datetime.combine(first, schedule.local_time, tz))
        event.add("duration", timedelta(minutes=5))
        event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in schedule.days]})
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "A moment for your pain diary")
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


@bp.get("/reminders.ics")
@login_required
def ics() -> ResponseReturnValue:
    schedules = reminders_service.list_reminders(db.session, current_user)
    body = _calendar(schedules, current_user.timezone, utcnow())
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'attachment; filename="pain-diary-reminders.ics"',
            "Cache-Control": "no-store",
        },
    )
