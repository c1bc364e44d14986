"""What a bench run is told by the environment, and the fixed facts of the setup."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
WRK_SCRIPT = BENCH_DIR / "wrk" / "request.lua"
PYTHON = sys.executable

# Every bench account signs in with this; it protects nothing but a throwaway database.
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105
HOST = "127.0.0.1"  # the bench never targets anything else


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


class SettingsError(ValueError):
    """A setting the bench refuses (it only ever talks to 127.0.0.1)."""


def _local(name: str, default: str) -> str:
    url = os.environ.get(name, default)
    if urlsplit(url).hostname != HOST:
        raise SettingsError(f"{name} must point at {HOST}, not {url}")
    return url


@dataclass(frozen=True)
class Settings:
    seconds: int
    warmup_seconds: int
    connections: int
    wrk_threads: int
    workers: int
    worker_threads: int
    admin_dsn: str
    database: str
    redis_url: str
    reseed: bool
    lighthouse: bool
    only: tuple[str, ...]

    @classmethod
    def from_env(cls) -> Settings:
        only = os.environ.get("BENCH_ONLY", "")
        return cls(
            seconds=_int("BENCH_SECONDS", 10),
            warmup_seconds=_int("BENCH_WARMUP_SECONDS", 2),
            connections=_int("BENCH_CONNECTIONS", 16),
            wrk_threads=_int("BENCH_WRK_THREADS", 2),
            workers=_int("BENCH_WORKERS", 2),
            worker_threads=_int("BENCH_WORKER_THREADS", 4),
            admin_dsn=_local("BENCH_POSTGRES_URL", f"postgresql://postgres@{HOST}:5432/postgres"),
            database=os.environ.get("BENCH_DATABASE", "diary_bench"),
            redis_url=_local("BENCH_REDIS_URL", f"redis://{HOST}:6379/0"),
            reseed=_flag("BENCH_RESEED"),
            lighthouse=_flag("BENCH_LIGHTHOUSE"),
            only=tuple(key.strip() for key in only.split(",") if key.strip()),
        )

    def dsn(self, database: str | None = None) -> str:
        """A libpq URL for the bench database (or another one on the same server)."""
        base, _, _ = self.admin_dsn.rpartition("/")
        return f"{base}/{database or self.database}"

    def wants(self, key: str) -> bool:
        return not self.only or key in self.only
