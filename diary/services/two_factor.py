"""Two-factor sign-in with TOTP (RFC 6238) and one-time recovery codes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, select

from diary.database import DbSession
from diary.errors import Conflict, ValidationFailed
from diary.models import RecoveryCode, User

ISSUER = "Pain Diary"
RECOVERY_CODES = 10
# One step either side: phones whose clocks are 30 s off still work.
WINDOW = 1


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def start(session: DbSession, user: User) -> str:
    """Make a new secret (not yet in force); return the otpauth:// URI for the app."""
    if user.totp_enabled_at is not None:
        raise Conflict("Two-step sign-in is already on. Turn it off first to set it up again.")
    user.totp_secret = pyotp.random_base32()
    session.flush()
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _accepted_step(user: User, code: str, now: datetime) -> int | None:
    """The time step the code belongs to, if it is valid now and not used before."""
    if not user.totp_secret or not code.strip().isdigit():
        return None
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code.strip()):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return None  # replayed
            return step
    return None


def confirm(session: DbSession, user: User, code: str, now: datetime) -> list[str]:
    """Turn two-step sign-in on with a first valid code; return the recovery codes (once)."""
    if user.totp_secret is None or user.totp_enabled_at is not None:
        raise Conflict("Start the set-up first.")
    step = _accepted_step(user, code, now)
    if step is None:
        raise ValidationFailed({"otp": ["That code is not right. Check the time on your phone."]})
    user.totp_last_step = step
    user.totp_enabled_at = now
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    session.flush()
    return codes


def disable(session: DbSession, user: User) -> None:
    """Turn two-step sign-in off (the caller has checked the password)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()


def second_factor_ok(
    session: DbSession, user: User, otp: str | None, recovery_code: str | None, now: datetime
) -> bool:
    """Check a TOTP code or an unused recovery code; a recovery code is then spent."""
    if otp:
        step = _accepted_step(user, otp, now)
        if step is not None:
            user.totp_last_step = step
            session.flush()
            return True
    if recovery_code:
        row = session.scalar(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash(recovery_code),
                RecoveryCode.used_at.is_(None),
            )
        )
        if row is not None:
            row.used_at = now
            session.flush()
            return True
    return False


def recovery_codes_left(session: DbSession, user: User) -> int:
    rows = session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(list(rows))
