"""Reminders: the schedules, each firing of them, and the browsers that receive push."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from diary.database import utcnow
from diary.extensions import Model

# SQLite gives auto-incrementing keys only to INTEGER PRIMARY KEY; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer, "sqlite")

CHANNELS = ("push", "email")


class ReminderSchedule(Model):
    """A local time of day on some days of the week; `next_fire_at` says when, in UTC."""

    __tablename__ = "reminder_schedules"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    local_time: Mapped[time] = mapped_column(Time)
    # Monday is 0; kept sorted.
    days: Mapped[list[int]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    # None while paused; the sweep claims rows whose time has come.
    next_fire_at: Mapped[datetime | None] = mapped_column(index=True)
    # The due time of the last firing, whatever came of it ("logged since the last one?").
    last_due_at: Mapped[datetime | None]
    # When the gentle nudge after silent days went out.
    nudged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderDelivery(Model):
    """One firing of a schedule; the unique (schedule, due time) makes it happen once."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("schedule_id", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    schedule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reminder_schedules.id", ondelete="CASCADE")
    )
    due_at: Mapped[datetime]
    # reminder or nudge
    kind: Mapped[str] = mapped_column(String(16))
    # sent, skipped, missed, retrying or failed
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    channels_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Channels still to try after a failure, and when.
    pending_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class PushSubscription(Model):
    """A browser's Web Push endpoint and keys; removed when the push service says 404/410."""

    __tablename__ = "push_subscriptions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(String(1024), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
