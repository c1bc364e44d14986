"""Serving ours and the floor with gunicorn, and stopping exactly what we started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.settings import HOST, PYTHON, ROOT, Settings


class ServerError(RuntimeError):
    """A server did not come up."""


def free_port() -> int:
    """A port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_argv(settings: Settings, app: str, port: int) -> list[str]:
    # gthread: one process per core (2 here) for Python's CPU work, and a few threads in
    # each so that a request waiting on PostgreSQL does not hold a core idle.
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "--workers",
        str(settings.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(settings.worker_threads),
        "--bind",
        f"{HOST}:{port}",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        app,
    ]


@dataclass
class Server:
    """One gunicorn, in its own process group so that stopping it stops its workers."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (fixed argv, our own interpreter)
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerError(f"{self.name} exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as answer:  # noqa: S310 (http://127.0.0.1 only)
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise ServerError(f"{self.name} did not answer {self.ready_path} in {timeout:.0f} s")

    def stop(self) -> None:
        """TERM the process group we started, KILL it if it lingers."""
        process = self.process
        if process is not None and process.poll() is None:
            pgid = process.pid  # start_new_session: the group id is the leader's pid
            os.killpg(pgid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(pgid, signal.SIGKILL)
                process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None


def app_env(settings: Settings, secret_key: str, limiter_prefix: str) -> dict[str, str]:
    """Ours as in production: PostgreSQL, Redis rate limits, DIARY_ENV=production."""
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DIARY_ENV": "production",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": settings.dsn().replace("postgresql://", "postgresql+psycopg://", 1),
        "REDIS_URL": settings.redis_url,
        "RATELIMIT_KEY_PREFIX": limiter_prefix,
        "PYTHONUNBUFFERED": "1",
    }
