"""The audit trail: record every read of another person's diary; let the patient read it."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text

from diary.database import DbSession
from diary.models import AuditEvent, User

GENESIS = "0" * 64
# One PostgreSQL advisory lock serialises appends, so the chain never forks.
CHAIN_LOCK = 0x617564
CHAINED_FIELDS = ("occurred_at", "actor_id", "patient_id", "link_id", "link_kind", "action", "path")


@dataclass(frozen=True)
class Read:
    """One read to record."""

    actor_id: uuid.UUID | None
    patient_id: uuid.UUID
    link_id: uuid.UUID | None
    link_kind: str
    action: str
    path: str


def _fields_text(row: dict[str, Any]) -> str:
    """The event's own part of its hash input (everything but the previous hash)."""
    parts = [""]
    for name in CHAINED_FIELDS:
        value = row[name]
        parts.append(value.isoformat() if isinstance(value, datetime) else str(value or ""))
    return "\x1f".join(parts)


def chain_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """The hash of one event: its fields and the hash of the event before it."""
    return _link(prev_hash, _fields_text(row))


def _link(prev_hash: str, fields_text: str) -> str:
    return hashlib.sha256((prev_hash + fields_text).encode()).hexdigest()


# PostgreSQL: the whole batch as one JSON document in one statement, read back in its own
# order so that the ids follow the chain (one INSERT per row cost more than the rest).
_INSERT_BATCH_PG = text(
    """
    INSERT INTO audit_events
        (occurred_at, actor_id, patient_id, link_id, link_kind, action, path, prev_hash, hash)
    SELECT (e->>'occurred_at')::timestamptz, (e->>'actor_id')::uuid, (e->>'patient_id')::uuid,
           (e->>'link_id')::uuid, e->>'link_kind', e->>'action', e->>'path', e->>'prev_hash',
           e->>'hash'
    FROM json_array_elements(CAST(:batch AS json)) WITH ORDINALITY AS batch(e, n)
    ORDER BY n
    """
)


def _json_batch(rows: list[dict[str, Any]]) -> str:
    return json.dumps(
        [{**row, "occurred_at": row["occurred_at"].isoformat()} for row in rows], default=str
    )


def record(session: DbSession, reads: Iterable[Read], now: datetime) -> None:
    """Append the reads to the trail, in the caller's transaction."""
    now = now.astimezone(UTC)  # as it is read back, so that the hash checks out later
    rows: list[dict[str, Any]] = [
        {
            "occurred_at": now,
            "actor_id": read.actor_id,
            "patient_id": read.patient_id,
            "link_id": read.link_id,
            "link_kind": read.link_kind,
            "action": read.action[:120],
            "path": read.path[:300],
        }
        for read in reads
    ]
    if not rows:
        return
    # Done before the lock: appends wait on each other only for the chaining itself.
    texts = [_fields_text(row) for row in rows]
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = last or GENESIS
    for row, fields_text in zip(rows, texts, strict=True):
        row["prev_hash"] = prev
        row["hash"] = prev = _link(prev, fields_text)
    if postgresql:
        session.execute(_INSERT_BATCH_PG, {"batch": _json_batch(rows)})
    else:
        session.execute(insert(AuditEvent), rows)


@dataclass(frozen=True)
class Verdict:
    checked: int
    first_bad_id: int | None


def verify(session: DbSession, batch: int = 5000) -> Verdict:
    """Walk the chain in order; name the first event whose hash does not follow."""
    prev, checked, after = GENESIS, 0, 0
    while True:
        events = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id).limit(batch)
            )
        )
        if not events:
            return Verdict(checked, None)
        for event in events:
            row = {name: getattr(event, name) for name in CHAINED_FIELDS}
            if event.prev_hash != prev or event.hash != chain_hash(prev, row):
                return Verdict(checked, event.id)
            prev, checked, after = event.hash, checked + 1, event.id


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
