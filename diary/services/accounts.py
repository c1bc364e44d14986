"""Accounts: register, authenticate, keep password hashes current."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from diary.database import DbSession
from diary.errors import Conflict
from diary.models import User


@dataclass(frozen=True)
class NewUser:
    email: str
    password: str
    display_name: str
    timezone: str


def make_hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    """Return an argon2id hasher with the configured cost."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def find_by_email(session: DbSession, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def register(session: DbSession, hasher: PasswordHasher, new: NewUser) -> User:
    """Create an account; Conflict when the e-mail is taken."""
    email = new.email.strip().lower()
    if find_by_email(session, email) is not None:
        raise Conflict("An account with this e-mail address already exists.")
    user = User(
        email=email,
        password_hash=hasher.hash(new.password),
        display_name=new.display_name,
        timezone=new.timezone,
    )
    session.add(user)
    session.flush()
    return user


# Verified when the e-mail is unknown, so both failures cost the same time.
_DUMMY_HASHES: dict[tuple[int, int], str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not a real password, never matches")
    return _DUMMY_HASHES[key]


def authenticate(
    session: DbSession, hasher: PasswordHasher, email: str, password: str
) -> User | None:
    """Return the user whose password this is, or None (unknown e-mail or wrong password)."""
    user = find_by_email(session, email)
    stored = user.password_hash if user is not None else _dummy_hash(hasher)
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        session.flush()
    return user


def verify_password(hasher: PasswordHasher, user: User, password: str) -> bool:
    """Whether this is the user's password (re-authentication before a grave step)."""
    try:
        return bool(hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
