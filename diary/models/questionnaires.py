"""Answers to validated questionnaires (PEG, BPI short form, NPSI, PGIC) and their scores."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from diary.database import utcnow
from diary.extensions import Model

INSTRUMENTS = ("peg", "bpi_sf", "npsi", "pgic")
# NPSI Q4 (how long spontaneous pain lasted) and Q7 (how many attacks), in the last 24 h.
NPSI_DURATIONS = ("permanent", "8_12h", "4_7h", "1_3h", "lt_1h")
NPSI_ATTACKS = ("gt_20", "11_20", "6_10", "1_5", "none")


class QuestionnaireResponse(Model):
    """One filled-in questionnaire; scores are computed once, when it is stored."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        CheckConstraint("instrument IN ('peg', 'bpi_sf', 'npsi', 'pgic')", name="instrument_known"),
        Index("ix_questionnaire_responses_patient_answered", "patient_id", "answered_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(10))
    answered_at: Mapped[datetime]
    local_date: Mapped[date]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
