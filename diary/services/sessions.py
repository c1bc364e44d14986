"""Signed-in sessions kept server-side, so signing out really ends them."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from diary.database import DbSession
from diary.models import User, UserSession

# last_seen_at is written at most this often, so reads do not all become writes.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: DbSession, user: User, now: datetime, user_agent: str = "") -> str:
    """Open a session for the user; return the token for the cookie (shown only here)."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(token),
            created_at=now,
            last_seen_at=now,
            user_agent=user_agent[:200],
        )
    )
    session.flush()
    return token


def end(session: DbSession, token: str, now: datetime) -> None:
    """End the session this token belongs to."""
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def end_all(session: DbSession, user: User, now: datetime) -> None:
    """End every session of this user (sign out everywhere)."""
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def resume(
    session: DbSession,
    user_id: str,
    token: str | None,
    now: datetime,
    *,
    idle: timedelta,
    lifetime: timedelta,
) -> User | None:
    """Return the user when the token names a live session of theirs, else None."""
    if not token:
        return None
    try:
        uid = uuid.UUID(user_id)
    except ValueError:
        return None
    row = session.scalar(
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == _hash(token))
    )
    if row is None or row.user_id != uid or row.ended_at is not None:
        return None
    # Changes stay pending (not flushed) so that the caller sees them as dirty and commits.
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        row.ended_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row.user
