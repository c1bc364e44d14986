"""Plain functions that build rows and flush; the test decides when to commit."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from diary.models import PushSubscription, ReminderSchedule, User
from diary.services import accounts as accounts_service
from diary.services import push as push_service
from diary.services import reminders as reminders_service

PASSWORD = "correct horse battery"
_HASHER = accounts_service.make_hasher(time_cost=1, memory_kib=8192)


def make_user(session: Session, **fields: Any) -> User:
    values = {
        "email": "someone@example.org",
        "password": PASSWORD,
        "display_name": "Someone",
        "timezone": "Europe/Berlin",
        **fields,
    }
    return accounts_service.register(session, _HASHER, accounts_service.NewUser(**values))


def make_reminder(session: Session, user: User, now: datetime, **fields: Any) -> ReminderSchedule:
    values = {"time": time(20, 0), "days": list(range(7)), "channels": ["push"], **fields}
    return reminders_service.create_reminder(session, user, values, now)


def make_subscription(
    session: Session, user: User, endpoint: str, keys: Any, now: datetime
) -> PushSubscription:
    subscription, _ = push_service.save_subscription(
        session,
        user,
        {"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}},
        now,
        allow_http=True,
    )
    return subscription
