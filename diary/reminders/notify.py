"""A notification sent at once, outside the sweep: the settings page's "send a test"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from diary.database import DbSession
from diary.models import ReminderSchedule, User
from diary.reminders.senders import Notice, PushTarget, new_notice_id
from diary.reminders.sweep import Dispatcher
from diary.services import push as push_service


def send_test(
    session: DbSession, user: User, dispatcher: Dispatcher, now: datetime
) -> dict[str, Any]:
    """Push to every browser of the user, and e-mail them if a reminder of theirs uses it."""
    subscriptions = push_service.subscriptions_by_user(session, [user.id]).get(user.id, [])
    notice = Notice(
        delivery_id=new_notice_id(),
        kind="test",
        email=user.email,
        targets=tuple(PushTarget(s.id, s.endpoint, s.p256dh, s.auth) for s in subscriptions),
    )
    result: dict[str, Any] = {"push_sent": 0, "push_removed": 0, "email": "not used"}
    if subscriptions:
        [outcome] = dispatcher.senders["push"].send([notice])
        result["push_sent"] = len(outcome.delivered_to)
        result["push_removed"] = push_service.remove_subscriptions(session, outcome.gone)
    schedules = session.scalars(select(ReminderSchedule).where(ReminderSchedule.user_id == user.id))
    if any("email" in schedule.channels for schedule in schedules):
        [outcome] = dispatcher.senders["email"].send([notice])
        result["email"] = "sent" if outcome.ok else outcome.detail
    session.flush()
    return result
