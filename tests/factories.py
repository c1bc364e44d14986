"""Plain functions that build rows and flush; the test decides when to commit."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from diary.database import utcnow
from diary.models import Treatment, User
from diary.services import accounts as accounts_service
from diary.services import entries as entries_service
from diary.services import treatments as treatments_service

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
