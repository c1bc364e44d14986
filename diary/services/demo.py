"""The demo diary that `make run` seeds into an empty database."""

from __future__ import annotations

from argon2 import PasswordHasher

from diary.database import DbSession
from diary.models import User
from diary.services import accounts as accounts_service


def seed(session: DbSession, hasher: PasswordHasher, email: str, password: str) -> User:
    """Create (or reuse) the demo patient."""
    user = accounts_service.find_by_email(session, email)
    if user is None:
        user = accounts_service.register(
            session,
            hasher,
            accounts_service.NewUser(email, password, "Alex (demo)", "Europe/Berlin"),
        )
    return user
