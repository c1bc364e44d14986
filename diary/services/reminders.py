"""Reminder rules: schedules for a patient, and whether a due reminder should go out at all."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from diary.database import DbSession, utcnow
from diary.errors import NotFound, ValidationFailed
from diary.models import PainEntry, ReminderSchedule, User
from diary.reminders.schedule import next_fire_at

log = logging.getLogger(__name__)

MAX_REMINDERS = 20
SILENT_DAYS = timedelta(days=3)
EDITABLE = ("local_time", "days", "channels", "enabled")


def schedule_next(schedule: ReminderSchedule, timezone: str, now: datetime) -> None:
    """Set when the schedule fires next from `now` (None while it is paused)."""
    schedule.next_fire_at = (
        next_fire_at(schedule.local_time, schedule.days, timezone, now)
        if schedule.enabled
        else None
    )


def list_reminders(session: DbSession, user: User) -> list[ReminderSchedule]:
    return list(
        session.scalars(
            select(ReminderSchedule)
            .where(ReminderSchedule.user_id == user.id)
            .order_by(ReminderSchedule.local_time, ReminderSchedule.created_at)
        )
    )


def get_reminder(session: DbSession, user: User, reminder_id: uuid.UUID) -> ReminderSchedule:
    """The user's reminder; NotFound when absent or someone else's."""
    schedule = session.get(ReminderSchedule, reminder_id)
    if schedule is None or schedule.user_id != user.id:
        raise NotFound("There is no such reminder.")
    return schedule


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = {"local_time": data["time"]} if "time" in data else {}
    if "days" in data:
        values["days"] = sorted(data["days"])
    for key in ("channels", "enabled"):
        if key in data:
            values[key] = list(data[key]) if key == "channels" else data[key]
    return values


def create_reminder(
    session: DbSession, user: User, data: dict[str, Any], now: datetime
) -> ReminderSchedule:
    """Add a reminder (time, days, channels, enabled) and work out when it fires."""
    count = session.scalar(select(func.count()).where(ReminderSchedule.user_id == user.id))
    if (count or 0) >= MAX_REMINDERS:
        raise ValidationFailed(
            {"_schema": [f"You have {MAX_REMINDERS} reminders already; remove one first."]}
        )
    values = {"days": list(range(7)), "channels": ["push"], "enabled": True, **_values(data)}
    schedule = ReminderSchedule(user_id=user.id, created_at=now, updated_at=now, **values)
    schedule_next(schedule, user.timezone, now)
    session.add(schedule)
    session.flush()
    return schedule


def update_reminder(
    session: DbSession,
    user: User,
    schedule: ReminderSchedule,
    changes: dict[str, Any],
    now: datetime,
) -> ReminderSchedule:
    """Change a reminder; its next firing is worked out again from now."""
    for key, value in _values(changes).items():
        setattr(schedule, key, value)
    schedule.updated_at = now
    schedule_next(schedule, user.timezone, now)
    session.flush()
    return schedule


def delete_reminder(session: DbSession, schedule: ReminderSchedule) -> None:
    session.delete(schedule)
    session.flush()


def recompute_for_user(session: DbSession, user: User, now: datetime) -> None:
    """After the user's time zone changed: every schedule fires by the new zone's clock."""
    for schedule in list_reminders(session, user):
        schedule_next(schedule, user.timezone, now)
    session.flush()


def _zone_changed(session: Session, _context: Any, _instances: Any) -> None:
    # Whatever code changes a user's zone (settings page, API, CLI), their reminders follow:
    # the schedules are recomputed in the same flush, so no path can forget to.
    for user in [obj for obj in session.dirty if isinstance(obj, User)]:
        if not inspect(user).attrs.timezone.history.has_changes():
            continue
        now = utcnow()
        with session.no_autoflush:
            schedules = session.scalars(
                select(ReminderSchedule).where(ReminderSchedule.user_id == user.id)
            ).all()
        for schedule in schedules:
            schedule_next(schedule, user.timezone, now)


event.listen(Session, "before_flush", _zone_changed)


def snooze(
    session: DbSession, schedule_id: uuid.UUID, minutes: int, now: datetime
) -> ReminderSchedule:
    """Fire this schedule once more in `minutes`; NotFound when it is gone or paused."""
    schedule = session.get(ReminderSchedule, schedule_id)
    if schedule is None or not schedule.enabled:
        raise NotFound("This reminder cannot be snoozed any more.")
    schedule.next_fire_at = now + timedelta(minutes=minutes)
    session.flush()
    return schedule


# The rules of a due reminder --------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What to do with one due firing: send (a reminder or the nudge) or record why not."""

    kind: str  # reminder or nudge
    status: str  # send, skipped or missed
    detail: str = ""


def decide(
    due: datetime,
    now: datetime,
    *,
    grace: timedelta,
    previous_due: datetime | None,
    created_at: datetime,
    last_logged_at: datetime | None,
    nudged_at: datetime | None,
) -> Decision:
    """Apply the rules, in order: too late, already logged, gone quiet, else remind."""
    if now - due > grace:
        return Decision("reminder", "missed", "due more than the grace period ago")
    since = previous_due or created_at
    if last_logged_at is not None and last_logged_at > since:
        return Decision("reminder", "skipped", "already logged since the last reminder")
    quiet_since = max(last_logged_at or created_at, created_at)
    if due - quiet_since >= SILENT_DAYS:
        if nudged_at is not None and nudged_at >= quiet_since:
            return Decision("reminder", "skipped", "quiet: the gentle nudge was sent")
        return Decision("nudge", "send")
    return Decision("reminder", "send")


def last_logged_at(session: DbSession, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When each patient last logged an entry (that still exists)."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(PainEntry.patient_id, func.max(PainEntry.created_at))
        .where(PainEntry.patient_id.in_(ids), PainEntry.deleted_at.is_(None))
        .group_by(PainEntry.patient_id)
    )
    return {patient_id: at for patient_id, at in rows}


def nudged_at_by_user(
    session: DbSession, user_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    """When each user last got the gentle nudge, on any of their schedules."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(ReminderSchedule.user_id, func.max(ReminderSchedule.nudged_at))
        .where(ReminderSchedule.user_id.in_(ids), ReminderSchedule.nudged_at.is_not(None))
        .group_by(ReminderSchedule.user_id)
    )
    return {user_id: at for user_id, at in rows}


def notify_care_team_of_silence(session: DbSession, user_id: uuid.UUID, now: datetime) -> None:
    """HOOK for the care team: tell an opted-in caregiver that the patient has gone quiet.

    Care links do not exist yet. When they do, this looks up the patient's opt-in and their
    caregivers' links and queues a short note to each (no clinical details). Until then it
    only logs, so the sweep already calls it at the right moment: once, with the nudge.
    """
    log.info("patient %s has been silent for days: no care team to tell yet", user_id)


def ensure_demo_reminder(session: DbSession, user: User, now: datetime) -> ReminderSchedule:
    """The demo patient's daily 20:00 push reminder (made once)."""
    existing = list_reminders(session, user)
    if existing:
        return existing[0]
    return create_reminder(
        session,
        user,
        {"time": time(20, 0), "days": list(range(7)), "channels": ["push"], "enabled": True},
        now,
    )
