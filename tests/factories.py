"""Plain functions that build rows and flush; the test decides when to commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from diary.models import User
from diary.services import accounts as accounts_service

PASSWORD = "correct horse battery"
_HASHER = accounts_service.make_hasher(time_cost=1, memory_kib=8192)


def make_user(session: Session, **fields: Any) -> User:
    values = {
        "email": "someone@example.org",
        "password": PASSWORD,
        "display_name": "Someone",
        "timezone": "Europe/Berlin",
        **fields,
    }
    return accounts_service.register(session, _HASHER, accounts_service.NewUser(**values))


def make_users_fast(session: Session, count: int, prefix: str = "user") -> list[User]:
    """Many accounts sharing one precomputed hash (hashing each would be slow)."""
    users = [
        User(
            email=f"{prefix}{n}@example.org",
            password_hash=_SHARED_HASH,
            display_name=f"{prefix.title()} {n}",
            timezone="Europe/Berlin",
        )
        for n in range(count)
    ]
    session.add_all(users)
    session.flush()
    return users


_SHARED_HASH = _HASHER.hash(PASSWORD)


def make_link(
    session: Session,
    patient: User,
    grantee: User,
    scopes: list[str],
    role: str = "caregiver",
    **fields: Any,
) -> Any:
    """An accepted care link (flushed)."""
    from datetime import UTC, datetime, timedelta

    from diary.models import CareLink

    now = datetime.now(UTC)
    link = CareLink(
        patient_id=patient.id,
        grantee_id=grantee.id,
        role=role,
        scopes=scopes,
        token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
        created_at=now,
        invitation_expires_at=now + timedelta(days=7),
        accepted_at=now,
        **fields,
    )
    session.add(link)
    session.flush()
    return link
