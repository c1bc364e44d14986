"""Whose diary may this person reach, and how far: the one place that decides."""

from __future__ import annotations

from diary.database import DbSession
from diary.errors import NotFound
from diary.models import User

SCOPES = ("trends", "entries", "notes", "log_on_behalf", "comment")


def patient_for(session: DbSession, actor: User, pid: str, scope: str) -> User:
    """Return the patient `pid` names if `actor` may use `scope` on their diary.

    `pid` is a user id or "me". Anything the actor may not see is NotFound, never
    Forbidden, so nobody learns that someone else's diary exists. Care links (other
    people's diaries) come with the care team; until then a diary is its owner's alone.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    if pid in ("me", str(actor.id)):
        return actor
    raise NotFound("There is no such diary.")
