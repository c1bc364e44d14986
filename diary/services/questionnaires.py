"""Questionnaire responses: score them by the published rules, keep them, list them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from diary.database import DbSession
from diary.errors import NotFound, ValidationFailed
from diary.models import QuestionnaireResponse, User
from diary.services.entries import FUTURE_TOLERANCE, local_date_of
from diary.services.scoring import score


def record(
    session: DbSession, patient: User, author: User, data: dict[str, Any], now: datetime
) -> QuestionnaireResponse:
    """Store validated answers with the scores their instrument's rule gives."""
    answered_at = data.get("answered_at") or now
    if answered_at > now + FUTURE_TOLERANCE:
        raise ValidationFailed({"answered_at": ["That is in the future."]})
    response = QuestionnaireResponse(
        patient_id=patient.id,
        author_id=author.id,
        instrument=data["instrument"],
        answered_at=answered_at,
        local_date=local_date_of(answered_at, patient.timezone),
        answers=dict(data["answers"]),
        scores=score(data["instrument"], data["answers"]),
        created_at=now,
    )
    session.add(response)
    session.flush()
    return response


def list_responses(
    session: DbSession, patient: User, *, instrument: str | None = None, limit: int = 100
) -> list[QuestionnaireResponse]:
    """The patient's questionnaires, newest first."""
    query = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id)
    if instrument is not None:
        query = query.where(QuestionnaireResponse.instrument == instrument)
    query = query.order_by(
        QuestionnaireResponse.answered_at.desc(), QuestionnaireResponse.id.desc()
    )
    return list(session.scalars(query.limit(limit)))


def get_response(
    session: DbSession, patient: User, response_id: uuid.UUID
) -> QuestionnaireResponse:
    response = session.get(QuestionnaireResponse, response_id)
    if response is None or response.patient_id != patient.id:
        raise NotFound("There is no such questionnaire.")
    return response


def delete_response(session: DbSession, response: QuestionnaireResponse) -> None:
    session.delete(response)
    session.flush()
