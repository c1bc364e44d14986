"""Plain functions that build rows and flush; the test decides when to commit."""

from __future__ import annotations

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
