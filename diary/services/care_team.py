"""The care team: invitations, links, their scopes and revocation, comments."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from diary.database import DbSession
from diary.errors import Conflict, NotFound
from diary.models import CareLink, Comment, PainEntry, User
from diary.services.access import active_link_clause

INVITATION_LIFETIME = timedelta(days=7)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Invitation:
    link: CareLink
    token: str  # shown once, never stored


def invite(
    session: DbSession,
    patient: User,
    role: str,
    scopes: list[str],
    expires_in_days: int | None,
    label: str | None,
    now: datetime,
) -> Invitation:
    """Create an invitation; its token is returned here and nowhere else."""
    token = secrets.token_urlsafe(32)
    link = CareLink(
        patient_id=patient.id,
        role=role,
        scopes=sorted(set(scopes)),
        label=label,
        token_hash=hash_token(token),
        created_at=now,
        invitation_expires_at=now + INVITATION_LIFETIME,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(link)
    session.flush()
    return Invitation(link, token)


def pending_invitation(session: DbSession, token: str, now: datetime) -> CareLink:
    """The invitation this token names; NotFound when unknown, used, revoked or expired."""
    link = session.scalar(select(CareLink).where(CareLink.token_hash == hash_token(token)))
    if link is None or link.status(now) != "pending":
        raise NotFound("This invitation is not valid any more. Ask for a new one.")
    return link


def accept(session: DbSession, grantee: User, token: str, now: datetime) -> CareLink:
    """Accept an invitation, once, as someone other than the patient."""
    link = pending_invitation(session, token, now)
    if link.patient_id == grantee.id:
        raise Conflict("This is your own invitation; send the link to the person you invite.")
    duplicate = session.scalar(
        select(CareLink.id).where(
            CareLink.patient_id == link.patient_id,
            CareLink.grantee_id == grantee.id,
            *active_link_clause(now),
        )
    )
    if duplicate is not None:
        raise Conflict("You already have a link to this diary; the patient can change its scopes.")
    link.grantee_id = grantee.id
    link.accepted_at = now
    session.flush()
    return link


def own_link(session: DbSession, patient: User, link_id: uuid.UUID) -> CareLink:
    """A link the patient made; NotFound for anyone else's."""
    link = session.get(CareLink, link_id)
    if link is None or link.patient_id != patient.id:
        raise NotFound("There is no such link.")
    return link


def revoke(session: DbSession, patient: User, link_id: uuid.UUID, now: datetime) -> None:
    link = own_link(session, patient, link_id)
    if link.revoked_at is None:
        link.revoked_at = now
        session.flush()


def change(
    session: DbSession,
    patient: User,
    link_id: uuid.UUID,
    scopes: list[str] | None,
    expires_in_days: int | None,
    now: datetime,
) -> CareLink:
    """Change what a link grants, or when it ends; effective on the grantee's next request."""
    link = own_link(session, patient, link_id)
    if link.revoked_at is not None:
        raise Conflict("This link was revoked; invite again instead.")
    if scopes is not None:
        link.scopes = sorted(set(scopes))
    if expires_in_days is not None:
        link.expires_at = now + timedelta(days=expires_in_days)
    session.flush()
    return link


@dataclass(frozen=True)
class Links:
    as_patient: list[CareLink]
    as_grantee: list[CareLink]


def links_of(session: DbSession, user: User) -> Links:
    """The links where the user is the patient and where they are the grantee."""
    mine = session.scalars(
        select(CareLink).where(CareLink.patient_id == user.id).order_by(CareLink.created_at.desc())
    )
    theirs = session.scalars(
        select(CareLink).where(CareLink.grantee_id == user.id).order_by(CareLink.created_at.desc())
    )
    return Links(list(mine), list(theirs))


def add_comment(
    session: DbSession,
    patient: User,
    author: User,
    body: str,
    entry_id: uuid.UUID | None,
    day: date | None,
    now: datetime,
) -> Comment:
    """A comment on one of the patient's entries, or on one of their days."""
    if entry_id is not None:
        entry = session.get(PainEntry, entry_id)
        if entry is None or entry.patient_id != patient.id or entry.deleted_at is not None:
            raise NotFound("There is no such entry.")
    comment = Comment(
        patient_id=patient.id,
        author_id=author.id,
        entry_id=entry_id,
        day=day,
        body=body,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    return comment


def comments_on(session: DbSession, patient: User, limit: int = 200) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.patient_id == patient.id)
            .order_by(Comment.created_at.desc())
            .limit(limit)
        )
    )
