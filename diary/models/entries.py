"""The diary: pain entries, where they hurt, and the revisions that keep every edit."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diary.database import utcnow
from diary.extensions import Model


def _score(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 0 AND 10", name=f"{column}_0_10")


class PainEntry(Model):
    """One moment of pain, in the patient's own words and numbers."""

    __tablename__ = "pain_entries"
    __table_args__ = (
        _score("intensity"),
        _score("worst_24h"),
        _score("least_24h"),
        _score("average_24h"),
        _score("sleep_quality"),
        _score("mood"),
        # The diary and every trend read a patient's live entries by local day.
        Index("ix_pain_entries_patient_day", "patient_id", "local_date"),
        Index("ix_pain_entries_patient_recorded", "patient_id", "recorded_at", "id"),
    )

    # The client may choose the id: that is what makes an offline retry safe.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime]
    local_date: Mapped[date]
    intensity: Mapped[int] = mapped_column(Integer)
    worst_24h: Mapped[int | None]
    least_24h: Mapped[int | None]
    average_24h: Mapped[int | None]
    qualities: Mapped[list[str]] = mapped_column(JSON, default=list)
    interference: Mapped[dict[str, int] | None] = mapped_column(JSON)
    sleep_quality: Mapped[int | None]
    mood: Mapped[int | None]
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Ids (as text) of the patient's Medication rows, checked by the service.
    medications_taken: Mapped[list[str]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    # The short safety check-in after an infusion: dissociation, nausea, sleep (0-3), urinary.
    checkin: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    # A hash of the body first posted under this id, to tell a retry from a clash.
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    locations: Mapped[list[PainEntryLocation]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PainEntryLocation.position",
        lazy="selectin",
    )
    revisions: Mapped[list[PainEntryRevision]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PainEntryRevision.version",
    )


class PainEntryLocation(Model):
    """One body region in an entry, with its own intensity and qualities if given."""

    __tablename__ = "pain_entry_locations"
    __table_args__ = (_score("intensity"),)

    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pain_entries.id", ondelete="CASCADE"), primary_key=True
    )
    region: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)
    intensity: Mapped[int | None]
    qualities: Mapped[list[str]] = mapped_column(JSON, default=list)

    entry: Mapped[PainEntry] = relationship(back_populates="locations")


class PainEntryRevision(Model):
    """The entry as it was before an edit; nothing a person typed is lost."""

    __tablename__ = "pain_entry_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pain_entries.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    entry: Mapped[PainEntry] = relationship(back_populates="revisions")


class PainDailyStat(Model):
    """A patient's live entries of one local day, summed up; kept in step on every write.

    Trends over years read one row a day instead of every entry.
    """

    __tablename__ = "pain_daily_stats"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    local_date: Mapped[date] = mapped_column(primary_key=True)
    entry_count: Mapped[int]
    intensity_sum: Mapped[int]
    intensity_min: Mapped[int]
    intensity_max: Mapped[int]
