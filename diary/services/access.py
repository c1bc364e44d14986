"""Whose diary may this person reach, and how far: the one place that decides."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select

from diary.database import DbSession
from diary.errors import Forbidden, NotFound
from diary.models import CareLink, User
from diary.models.care_team import SCOPES

# What only the patient may do (read their audit trail, share, export): no link grants it.
OWNER = "owner"


@dataclass(frozen=True)
class Access:
    """The patient a request reaches, who reaches them, and through which link."""

    patient: User
    actor: User
    link: CareLink | None

    @property
    def is_owner(self) -> bool:
        return self.link is None

    def allows(self, scope: str) -> bool:
        return self.link is None or scope in self.link.scopes


def active_link_clause(now: datetime) -> list[ColumnElement[bool]]:
    """SQL conditions of a link in force at `now`."""
    return [
        CareLink.accepted_at.is_not(None),
        CareLink.revoked_at.is_(None),
        or_(CareLink.expires_at.is_(None), CareLink.expires_at > now),
    ]


def access_for(session: DbSession, actor: User, pid: str, scope: str, now: datetime) -> Access:
    """Resolve `pid` ("me" or a user id) for `actor` wanting `scope` of that diary.

    No active link: NotFound, so nobody learns that someone else's diary exists.
    An active link without the scope: Forbidden. Checked on every request, so a
    revocation or an expiry takes effect on the grantee's very next one.
    """
    if scope not in (*SCOPES, OWNER):
        raise ValueError(f"unknown scope {scope!r}")
    if pid in ("me", str(actor.id)):
        return Access(actor, actor, None)
    try:
        patient_id = uuid.UUID(pid)
    except ValueError:
        raise NotFound("There is no such diary.") from None
    link = session.scalar(
        select(CareLink).where(
            CareLink.patient_id == patient_id,
            CareLink.grantee_id == actor.id,
            *active_link_clause(now),
        )
    )
    if link is None:
        raise NotFound("There is no such diary.")
    if scope == OWNER or scope not in link.scopes:
        raise Forbidden("Your link to this diary does not include that.")
    return Access(link.patient, actor, link)
