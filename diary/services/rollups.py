"""Keep the daily roll-up of each patient's entries in step with every write."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from sqlalchemy import Integer, Table, bindparam, delete, func, select, text, update

from diary.database import DbSession
from diary.models import PainDailyStat, PainEntry, User

_users = cast(Table, User.__table__)
_stats = cast(Table, PainDailyStat.__table__)

# Built once: a statement made anew per write costs more CPU than the write itself.
_BUMP_VERSION = (
    update(_users)
    .where(_users.c.id == bindparam("patient_id"))
    .values(diary_version=_users.c.diary_version + 1)
)
# SQLAlchemy cannot cache a compiled ON CONFLICT DO UPDATE (it recompiled it on every entry),
# so the upsert is written out; the typed parameters still convert the UUID for SQLite.
_ADD_SCORE_SQL = """
INSERT INTO pain_daily_stats
    (patient_id, local_date, entry_count, intensity_sum, intensity_min, intensity_max)
VALUES (:patient_id, :day, 1, :score, :score, :score)
ON CONFLICT (patient_id, local_date) DO UPDATE SET
    entry_count = pain_daily_stats.entry_count + 1,
    intensity_sum = pain_daily_stats.intensity_sum + excluded.intensity_sum,
    intensity_min = {least}(pain_daily_stats.intensity_min, excluded.intensity_min),
    intensity_max = {greatest}(pain_daily_stats.intensity_max, excluded.intensity_max)
"""
_ADD_SCORE = {
    # SQLite's two-argument min() and max() are scalar, PostgreSQL's are least() and greatest().
    dialect: text(_ADD_SCORE_SQL.format(least=least, greatest=greatest)).bindparams(
        bindparam("patient_id", type_=_stats.c.patient_id.type),
        bindparam("day", type_=_stats.c.local_date.type),
        bindparam("score", type_=Integer()),
    )
    for dialect, least, greatest in (
        ("postgresql", "least", "greatest"),
        ("sqlite", "min", "max"),
    )
}


def _bump_version(session: DbSession, patient_id: uuid.UUID) -> None:
    """A new diary version: cached trends of the old one are never served again.

    A Core statement: the patient object already loaded in this session keeps its old
    number, which nothing reads again before the request ends.
    """
    session.execute(_BUMP_VERSION, {"patient_id": patient_id})


def add_score(session: DbSession, patient_id: uuid.UUID, day: date, intensity: int) -> None:
    """Count one new entry in its day: one statement, safe under concurrent writers."""
    _bump_version(session, patient_id)
    upsert = _ADD_SCORE[session.get_bind().dialect.name]
    session.execute(upsert, {"patient_id": patient_id, "day": day, "score": intensity})


def recount_day(session: DbSession, patient_id: uuid.UUID, day: date) -> None:
    """Recompute one day from its live entries (after an edit, a delete or a restore)."""
    session.flush()
    _bump_version(session, patient_id)
    count, total, low, high = session.execute(
        select(
            func.count(),
            func.sum(PainEntry.intensity),
            func.min(PainEntry.intensity),
            func.max(PainEntry.intensity),
        ).where(
            PainEntry.patient_id == patient_id,
            PainEntry.local_date == day,
            PainEntry.deleted_at.is_(None),
        )
    ).one()
    session.execute(
        delete(PainDailyStat).where(
            PainDailyStat.patient_id == patient_id, PainDailyStat.local_date == day
        )
    )
    if count:
        session.add(
            PainDailyStat(
                patient_id=patient_id,
                local_date=day,
                entry_count=count,
                intensity_sum=total,
                intensity_min=low,
                intensity_max=high,
            )
        )
        session.flush()
