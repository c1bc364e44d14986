"""Settings read from the environment (a `.env` file is read in development)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the app refuses to start."""


def normalise_database_url(url: str) -> str:
    """Send PostgreSQL URLs through psycopg 3, whatever driver the URL names."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret(instance_path: Path) -> str:
    """Keep one random key in the instance folder so sessions survive a restart."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from error


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def load_config(instance_path: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from environment variables."""
    env = dict(os.environ if env is None else env)
    environment = env.get("DIARY_ENV", "production")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"DIARY_ENV must be one of {', '.join(ENVIRONMENTS)}")
    production = environment == "production"

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random string "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        secret_key = _development_secret(instance_path)

    database_url = normalise_database_url(
        env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'diary.sqlite3'}"
    )
    # SQL errors are logged without their parameters: those are people's notes.
    # When PostgreSQL is down a request fails fast (503) instead of hanging: a stale pooled
    # connection is noticed before use, a new one gives up after DATABASE_CONNECT_TIMEOUT
    # seconds, and waiting for a free pooled connection after DATABASE_POOL_TIMEOUT.
    engine_options: dict[str, Any] = {
        "pool_pre_ping": True,
        "hide_parameters": True,
        "pool_timeout": _int(env, "DATABASE_POOL_TIMEOUT", 5),
        "connect_args": {"connect_timeout": _int(env, "DATABASE_CONNECT_TIMEOUT", 3)},
    }
    if database_url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 15}, "hide_parameters": True}

    redis_url = env.get("REDIS_URL", "")
    return {
        "DIARY_ENV": environment,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "PORT": _int(env, "PORT", 5000),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 256 * 1024),
        # The CSV import (page and API) alone may take a larger body.
        "IMPORT_MAX_BYTES": _int(env, "IMPORT_MAX_BYTES", 5 * 1024 * 1024),
        # Sessions: signed cookie carrying a server-side session id (see services.sessions).
        "SESSION_COOKIE_NAME": "diary_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int(env, "SESSION_LIFETIME_HOURS", 12)),
        "SESSION_IDLE": timedelta(minutes=_int(env, "SESSION_IDLE_MINUTES", 30)),
        # The cookie is set at sign-in and lives the absolute lifetime; re-signing it on every
        # request would add nothing: the idle limit is kept by the server-side session.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        # The CSRF token lives as long as the session, so entries queued offline stay valid.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "CACHE_REDIS_URL": redis_url,
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "diary"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": env.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes"),
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_KIB": _int(env, "ARGON2_MEMORY_KIB", 65536),
        "DEMO_EMAIL": env.get("DEMO_EMAIL", "demo@example.org"),
        "DEMO_PASSWORD": env.get("DEMO_PASSWORD", "demo-diary-2026"),
        # Reminders (diary.reminders): Web Push keys, e-mail, and the sweep's timing.
        "VAPID_PRIVATE_KEY": env.get("VAPID_PRIVATE_KEY", ""),
        "VAPID_PUBLIC_KEY": env.get("VAPID_PUBLIC_KEY", ""),
        "VAPID_SUBJECT": env.get("VAPID_SUBJECT", "mailto:pain-diary@localhost"),
        "SMTP_URL": env.get("SMTP_URL", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Pain Diary <pain-diary@localhost>"),
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "REMINDER_GRACE_MINUTES": _int(env, "REMINDER_GRACE_MINUTES", 120),
        "REMINDER_SWEEP_SECONDS": _int(env, "REMINDER_SWEEP_SECONDS", 60),
        "REMINDER_BATCH_SIZE": _int(env, "REMINDER_BATCH_SIZE", 500),
        "PUSH_WORKERS": _int(env, "PUSH_WORKERS", 8),
        # Push endpoints are addresses the server will POST to: https only in production.
        "PUSH_ALLOW_HTTP": _bool(env, "PUSH_ALLOW_HTTP", not production),
    }
