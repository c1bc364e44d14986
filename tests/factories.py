"""Plain functions that build rows and flush; the test decides when to commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from diary.database import utcnow
from diary.models import PushSubscription, ReminderSchedule, Treatment, User
from diary.services import accounts as accounts_service
from diary.services import entries as entries_service
from diary.services import push as push_service
from diary.services import reminders as reminders_service
from diary.services import treatments as treatments_service

PASSWORD = "correct horse battery"
_HASHER = accounts_service.make_hasher(time_cost=1, memory_kib=1024)


def make_user(session: Session, **fields: Any) -> User:
    values = {
        "email": "someone@example.org",
        "password": PASSWORD,
        "display_name": "Someone",
        "timezone": "Europe/Berlin",
        **fields,
    }
    return accounts_service.register(session, _HASHER, accounts_service.NewUser(**values))


def make_users_fast(session: Session, count: int, prefix: str = "user") -> list[User]:
    """Many accounts sharing one precomputed hash (hashing each would be slow)."""
    users = [
        User(
            email=f"{prefix}{n}@example.org",
            password_hash=_SHARED_HASH,
            display_name=f"{prefix.title()} {n}",
            timezone="Europe/Berlin",
        )
        for n in range(count)
    ]
    session.add_all(users)
    session.flush()
    return users


_SHARED_HASH = _HASHER.hash(PASSWORD)


def make_link(
    session: Session,
    patient: User,
    grantee: User,
    scopes: list[str],
    role: str = "caregiver",
    **fields: Any,
) -> Any:
    """An accepted care link (flushed)."""
    from datetime import UTC, datetime, timedelta

    from diary.models import CareLink

    now = datetime.now(UTC)
    link = CareLink(
        patient_id=patient.id,
        grantee_id=grantee.id,
        role=role,
        scopes=scopes,
        token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
        created_at=now,
        invitation_expires_at=now + timedelta(days=7),
        accepted_at=now,
        **fields,
    )
    session.add(link)
    session.flush()
    return link


def make_entry(session: Session, patient: User, day: date, intensity: int, hour: int = 12) -> Any:
    """A live entry at noon (by default) on one of the patient's local days."""
    moment = datetime.combine(day, time(hour), ZoneInfo(patient.timezone))
    entry, _ = entries_service.create_entry(
        session, patient, patient, {"recorded_at": moment, "intensity": intensity}, utcnow()
    )
    return entry


def make_diary(session: Session, patient: User, start: date, *runs: tuple[int, int]) -> None:
    """Entries from `start` on: runs of (number of days, intensity that day)."""
    day = start
    for days, intensity in runs:
        for _ in range(days):
            make_entry(session, patient, day, intensity)
            day += timedelta(days=1)


def make_treatment(session: Session, patient: User, day: date, **fields: Any) -> Treatment:
    """A treatment at 09:00 on one of the patient's local days (a ketamine infusion)."""
    moment = datetime.combine(day, time(9), ZoneInfo(patient.timezone))
    data = {"kind": "ketamine_infusion", "started_at": moment, **fields}
    return treatments_service.create_treatment(session, patient, patient, data, utcnow())


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
