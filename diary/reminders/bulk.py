"""The sweep's bulk writes: one statement per batch on PostgreSQL, the ORM's bulk elsewhere.

On PostgreSQL the rows travel as a few arrays through unnest(), which costs far less than
500 rows of bound parameters; SQLite (one process, small diaries) takes the portable path.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from diary.database import DbSession
from diary.models import ReminderDelivery, ReminderSchedule


@dataclass(frozen=True)
class NewDelivery:
    schedule_id: uuid.UUID
    due_at: datetime
    kind: str
    status: str
    detail: str
    channels_sent: list[str]


@dataclass(frozen=True)
class Advance:
    schedule_id: uuid.UUID
    next_fire_at: datetime | None
    last_due_at: datetime
    nudged_at: datetime | None


def _postgresql(session: DbSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


_PG_INSERT = text(
    """
    INSERT INTO reminder_deliveries (schedule_id, due_at, kind, status, detail, channels_sent,
                                     pending_channels, attempts, created_at, sent_at)
    SELECT v.schedule_id, v.due_at, v.kind, v.status, v.detail, CAST(v.channels AS json),
           CAST('[]' AS json), CASE WHEN v.status = 'sent' THEN 1 ELSE 0 END, :now,
           CASE WHEN v.status = 'sent' THEN CAST(:now AS timestamptz) END
    FROM unnest(CAST(:schedule_ids AS uuid[]), CAST(:due_ats AS timestamptz[]),
                CAST(:kinds AS text[]), CAST(:statuses AS text[]), CAST(:details AS text[]),
                CAST(:channels AS text[]))
         AS v(schedule_id, due_at, kind, status, detail, channels)
    ON CONFLICT (schedule_id, due_at) DO NOTHING
    RETURNING id, schedule_id
    """
)


def insert_deliveries(
    session: DbSession, rows: list[NewDelivery], now: datetime
) -> dict[uuid.UUID, int]:
    """Record firings; a (schedule, due time) already recorded is left out of the answer."""
    if not rows:
        return {}
    if _postgresql(session):
        result = session.execute(
            _PG_INSERT,
            {
                "now": now,
                "schedule_ids": [r.schedule_id for r in rows],
                "due_ats": [r.due_at for r in rows],
                "kinds": [r.kind for r in rows],
                "statuses": [r.status for r in rows],
                "details": [r.detail for r in rows],
                "channels": [json.dumps(r.channels_sent) for r in rows],
            },
        )
    else:
        statement = (
            sqlite_insert(ReminderDelivery)
            .on_conflict_do_nothing(index_elements=["schedule_id", "due_at"])
            .returning(ReminderDelivery.id, ReminderDelivery.schedule_id)
        )
        result = session.execute(
            statement,
            [
                {
                    "schedule_id": r.schedule_id,
                    "due_at": r.due_at,
                    "kind": r.kind,
                    "status": r.status,
                    "detail": r.detail,
                    "channels_sent": r.channels_sent,
                    "pending_channels": [],
                    "attempts": 1 if r.status == "sent" else 0,
                    "created_at": now,
                    "sent_at": now if r.status == "sent" else None,
                }
                for r in rows
            ],
        )
    return {schedule_id: delivery_id for delivery_id, schedule_id in result}


_PG_ADVANCE = text(
    """
    UPDATE reminder_schedules AS s
    SET next_fire_at = v.next_fire_at, last_due_at = v.last_due_at, nudged_at = v.nudged_at
    FROM unnest(CAST(:ids AS uuid[]), CAST(:next_fire_ats AS timestamptz[]),
                CAST(:last_due_ats AS timestamptz[]), CAST(:nudged_ats AS timestamptz[]))
         AS v(id, next_fire_at, last_due_at, nudged_at)
    WHERE s.id = v.id
    """
)


def advance_schedules(session: DbSession, rows: list[Advance]) -> None:
    """Move each schedule on to its next firing."""
    if not rows:
        return
    if _postgresql(session):
        session.execute(
            _PG_ADVANCE,
            {
                "ids": [r.schedule_id for r in rows],
                "next_fire_ats": [r.next_fire_at for r in rows],
                "last_due_ats": [r.last_due_at for r in rows],
                "nudged_ats": [r.nudged_at for r in rows],
            },
        )
        return
    session.execute(
        update(ReminderSchedule),
        [
            {
                "id": r.schedule_id,
                "next_fire_at": r.next_fire_at,
                "last_due_at": r.last_due_at,
                "nudged_at": r.nudged_at,
            }
            for r in rows
        ],
    )
