"""The care team: links a patient grants to caregivers and clinicians, and their comments."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diary.database import utcnow
from diary.extensions import Model
from diary.models.accounts import User

ROLES = ("caregiver", "clinician")
SCOPES = ("trends", "entries", "notes", "log_on_behalf", "comment")


class CareLink(Model):
    """An invitation, and once accepted the grant itself: who may see what of whose diary."""

    __tablename__ = "care_links"
    __table_args__ = (
        CheckConstraint("role IN ('caregiver', 'clinician')", name="role_known"),
        Index("ix_care_links_grantee_patient", "grantee_id", "patient_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    grantee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(80))
    # The invitation token is shown once; only its SHA-256 is kept.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invitation_expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    patient: Mapped[User] = relationship(foreign_keys=[patient_id])
    grantee: Mapped[User | None] = relationship(foreign_keys=[grantee_id])

    def status(self, now: datetime) -> str:
        """pending, active, revoked or expired."""
        if self.revoked_at is not None:
            return "revoked"
        if self.accepted_at is None:
            return "pending" if now < self.invitation_expires_at else "expired"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"


class Comment(Model):
    """A note from the care team on a day or an entry of the patient's diary."""

    __tablename__ = "care_comments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entry_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pain_entries.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date | None]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ReportLink(Model):
    """A read-only view of a date range for a clinician without an account."""

    __tablename__ = "report_links"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    from_date: Mapped[date]
    to_date: Mapped[date]
    label: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    patient: Mapped[User] = relationship()

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
