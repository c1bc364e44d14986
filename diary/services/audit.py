"""The audit trail: record every read of another person's diary; let the patient read it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from diary.database import DbSession
from diary.models import AuditEvent, User


@dataclass(frozen=True)
class Read:
    """One read to record."""

    actor_id: uuid.UUID | None
    patient_id: uuid.UUID
    link_id: uuid.UUID | None
    link_kind: str
    action: str
    path: str


def record(session: DbSession, reads: Iterable[Read], now: datetime) -> None:
    """Append the reads to the trail, in the caller's transaction (one statement)."""
    rows = [
        {
            "occurred_at": now,
            "actor_id": read.actor_id,
            "patient_id": read.patient_id,
            "link_id": read.link_id,
            "link_kind": read.link_kind,
            "action": read.action,
            "path": read.path[:300],
        }
        for read in reads
    ]
    if rows:
        session.execute(insert(AuditEvent), rows)


@dataclass(frozen=True)
class TrailItem:
    event: AuditEvent
    actor_name: str | None


def trail(session: DbSession, patient: User, limit: int = 100) -> list[TrailItem]:
    """The patient's trail, newest first, with the reader's name where they still exist."""
    rows = session.execute(
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.patient_id == patient.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [TrailItem(event, name) for event, name in rows]
