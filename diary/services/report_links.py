"""Read-only report links for a clinician without an account."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from diary.database import DbSession
from diary.errors import NotFound
from diary.models import ReportLink, User
from diary.services.care_team import hash_token


@dataclass(frozen=True)
class NewReportLink:
    link: ReportLink
    token: str


def create(
    session: DbSession,
    patient: User,
    from_: date,
    to: date,
    lifetime_days: int,
    label: str | None,
    now: datetime,
) -> NewReportLink:
    token = secrets.token_urlsafe(32)
    link = ReportLink(
        patient_id=patient.id,
        token_hash=hash_token(token),
        from_date=from_,
        to_date=to,
        label=label,
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    session.add(link)
    session.flush()
    return NewReportLink(link, token)


def of_patient(session: DbSession, patient: User) -> list[ReportLink]:
    return list(
        session.scalars(
            select(ReportLink)
            .where(ReportLink.patient_id == patient.id)
            .order_by(ReportLink.created_at.desc())
        )
    )


def revoke(session: DbSession, patient: User, link_id: uuid.UUID, now: datetime) -> None:
    link = session.get(ReportLink, link_id)
    if link is None or link.patient_id != patient.id:
        raise NotFound("There is no such report link.")
    if link.revoked_at is None:
        link.revoked_at = now
        session.flush()


def open_link(session: DbSession, token: str, now: datetime) -> ReportLink:
    """The live link this token names; NotFound when unknown, revoked or expired."""
    link = session.scalar(select(ReportLink).where(ReportLink.token_hash == hash_token(token)))
    if link is None or not link.is_live(now):
        raise NotFound("This report link is not valid any more.")
    return link
