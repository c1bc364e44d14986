"""Keep the daily roll-up of each patient's entries in step with every write."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from diary.database import DbSession
from diary.models import PainDailyStat, PainEntry, User


def _insert(session: DbSession):  # type: ignore[no-untyped-def]  # two dialects' Insert types
    name = session.get_bind().dialect.name
    return (pg_insert if name == "postgresql" else sqlite_insert)(PainDailyStat)


def _bump_version(session: DbSession, patient_id: uuid.UUID) -> None:
    """A new diary version: cached trends of the old one are never served again."""
    session.execute(
        update(User).where(User.id == patient_id).values(diary_version=User.diary_version + 1)
    )


def add_score(session: DbSession, patient_id: uuid.UUID, day: date, intensity: int) -> None:
    """Count one new entry in its day: one statement, safe under concurrent writers."""
    _bump_version(session, patient_id)
    stat = PainDailyStat.__table__.c
    insert = _insert(session).values(
        patient_id=patient_id,
        local_date=day,
        entry_count=1,
        intensity_sum=intensity,
        intensity_min=intensity,
        intensity_max=intensity,
    )
    excluded = insert.excluded
    least, greatest = (
        (func.least, func.greatest)
        if session.get_bind().dialect.name == "postgresql"
        else (func.min, func.max)  # SQLite's two-argument min() and max() are scalar
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[stat.patient_id, stat.local_date],
            set_={
                "entry_count": stat.entry_count + 1,
                "intensity_sum": stat.intensity_sum + excluded.intensity_sum,
                "intensity_min": least(stat.intensity_min, excluded.intensity_min),
                "intensity_max": greatest(stat.intensity_max, excluded.intensity_max),
            },
        )
    )


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
