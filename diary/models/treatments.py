"""Treatments (infusions, blocks, changes) and the medications a patient takes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from diary.database import utcnow
from diary.extensions import Model

TREATMENT_KINDS = (
    "ketamine_infusion",
    "lidocaine_infusion",
    "nerve_block",
    "medication_change",
    "physiotherapy",
    "other",
)
INFUSION_KINDS = ("ketamine_infusion", "lidocaine_infusion")
DOSE_UNITS = ("mg", "mg/kg", "mg/h", "mg/kg/h", "mL/h")
SETTINGS = ("inpatient", "day_case", "outpatient", "home")
SERIES_PHASES = ("induction", "booster")
SIDE_EFFECTS = (
    "dissociation",
    "hallucinations",
    "nausea",
    "vomiting",
    "dizziness",
    "drowsiness",
    "raised_blood_pressure",
    "headache",
    "bladder_symptoms",
    "other",
)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


class Treatment(Model):
    """Something done to the patient at a time, and how it went."""

    __tablename__ = "treatments"
    __table_args__ = (
        _one_of("kind", TREATMENT_KINDS),
        _one_of("dose_unit", DOSE_UNITS),
        _one_of("setting", SETTINGS),
        _one_of("series_phase", SERIES_PHASES),
        CheckConstraint("dose > 0", name="dose_positive"),
        Index("ix_treatments_patient_day", "patient_id", "local_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # The patient's day of started_at: the response compares the days around it.
    local_date: Mapped[date]
    dose: Mapped[float | None] = mapped_column(Float)
    dose_unit: Mapped[str | None] = mapped_column(String(10))
    setting: Mapped[str | None] = mapped_column(String(20))
    series_phase: Mapped[str | None] = mapped_column(String(20))
    series_number: Mapped[int | None]
    adjuvants: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"code": "nausea", "severity": 0-3, "note": "…"?}], codes from SIDE_EFFECTS
    side_effects: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def duration_minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


class Medication(Model):
    """What the patient takes; entries' medications_taken refer to these ids."""

    __tablename__ = "medications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    dose: Mapped[str | None] = mapped_column(String(60))
    schedule: Mapped[str | None] = mapped_column(String(120))
    # Stopped medications stay, so old entries still say what was taken.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Removed from the list; kept so that entries that name it still can.
    deleted_at: Mapped[datetime | None]
