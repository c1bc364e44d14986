"""The patient's medications, and the check that an entry names only theirs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from diary.database import DbSession
from diary.errors import NotFound, ValidationFailed
from diary.models import Medication, User

FIELDS = ("name", "dose", "schedule", "active")


def create_medication(
    session: DbSession, patient: User, data: dict[str, Any], now: datetime
) -> Medication:
    """Add a medication to the patient's list."""
    medication = Medication(
        patient_id=patient.id,
        name=data["name"],
        dose=data.get("dose") or None,
        schedule=data.get("schedule") or None,
        active=data.get("active", True),
        created_at=now,
        updated_at=now,
    )
    session.add(medication)
    session.flush()
    return medication


def list_medications(
    session: DbSession, patient: User, *, active_only: bool = False
) -> list[Medication]:
    """The patient's medications (removed ones aside), active first, then by name."""
    query = select(Medication).where(
        Medication.patient_id == patient.id, Medication.deleted_at.is_(None)
    )
    if active_only:
        query = query.where(Medication.active.is_(True))
    return list(session.scalars(query.order_by(Medication.active.desc(), Medication.name)))


def get_medication(session: DbSession, patient: User, medication_id: uuid.UUID) -> Medication:
    """The patient's medication; NotFound when absent, removed or someone else's."""
    medication = session.get(Medication, medication_id)
    if medication is None or medication.patient_id != patient.id or medication.deleted_at:
        raise NotFound("There is no such medication.")
    return medication


def update_medication(
    session: DbSession, medication: Medication, changes: dict[str, Any], now: datetime
) -> Medication:
    for key in FIELDS:
        if key in changes:
            value = changes[key]
            if key in ("dose", "schedule"):
                value = value or None
            if key == "active" and value is None:
                continue
            setattr(medication, key, value)
    medication.updated_at = now
    session.flush()
    return medication


def delete_medication(session: DbSession, medication: Medication, now: datetime) -> None:
    """Take it off the list; entries that name it keep the name."""
    medication.deleted_at = now
    medication.active = False
    session.flush()


def checked_taken(
    session: DbSession,
    patient: User,
    ids: Iterable[uuid.UUID | str] | None,
    *,
    keep: Iterable[str] = (),
) -> list[str]:
    """The ids as stored text, if each is one of the patient's medications (or kept)."""
    wanted = [str(value) for value in ids or ()]
    if not wanted:
        return []
    kept = set(keep)
    query = select(Medication.id).where(
        Medication.patient_id == patient.id,
        Medication.deleted_at.is_(None),
        Medication.id.in_([uuid.UUID(value) for value in wanted]),
    )
    known = {str(value) for value in session.scalars(query)} | kept
    unknown = [value for value in wanted if value not in known]
    if unknown:
        raise ValidationFailed(
            {"medications_taken": ["Not on your medication list: " + ", ".join(unknown)]}
        )
    return wanted


def names_by_id(session: DbSession, patient: User) -> dict[str, str]:
    """Every name the patient's entries may refer to, removed medications included."""
    query = select(Medication.id, Medication.name).where(Medication.patient_id == patient.id)
    return {str(row.id): row.name for row in session.execute(query)}


def choices(session: DbSession, patient: User, taken: Iterable[str] = ()) -> list[Medication]:
    """What the log form offers: active medications, plus any the entry already names."""
    active = list_medications(session, patient, active_only=True)
    missing = [uuid.UUID(value) for value in taken if value not in {str(m.id) for m in active}]
    if missing:
        query = select(Medication).where(
            Medication.patient_id == patient.id, Medication.id.in_(missing)
        )
        active += list(session.scalars(query))
    return active
