"""The audit trail: every read of another person's diary, append-only."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from diary.database import utcnow
from diary.extensions import Model


class AuditEvent(Model):
    """Who read what of whose diary, when, through which link.

    The ids carry no foreign keys on purpose: when an account is deleted the trail keeps
    its rows, and their ids then lead to no one. A database trigger refuses UPDATE and
    DELETE (see the migration), so the trail can only grow; the hash chain shows it if
    someone with the database's keys changes it anyway.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_patient_time", "patient_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[uuid.UUID | None]
    patient_id: Mapped[uuid.UUID]
    link_id: Mapped[uuid.UUID | None]
    link_kind: Mapped[str] = mapped_column(String(16))  # care_link, report_link
    action: Mapped[str] = mapped_column(String(120))
    path: Mapped[str] = mapped_column(String(300))
    # A chain: each row's hash covers its fields and the previous row's hash, so an
    # altered or removed row breaks every hash after it (flask audit verify).
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
