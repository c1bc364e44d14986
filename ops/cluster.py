"""A throwaway PostgreSQL cluster of our own (initdb into a temporary folder, its own port).

`make faults` stops and starts PostgreSQL in the middle of a run; doing that to the shared
local server would break everyone else's tests, so it gets a private one. As root, the
cluster belongs to the `postgres` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.procs import free_port
from bench.settings import HOST

PG_ROOT = Path("/usr/lib/postgresql")


class ClusterError(RuntimeError):
    """The private cluster could not be made or driven."""


def pg_bin() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    versions = sorted((p for p in PG_ROOT.glob("*/bin/initdb")), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise ClusterError(f"no PostgreSQL server binaries under {PG_ROOT} (postgresql-15?)")
    return versions[-1].parent


class Cluster:
    """initdb, start, stop, start again, remove: nothing outside its own folder and port."""

    def __init__(self) -> None:
        self.bin = pg_bin()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="diary-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgresql.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{database}"

    def _run(self, *argv: str, timeout: float = 60) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(  # noqa: S603 (fixed argv)
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise ClusterError(f"{argv[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses={HOST}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        """Stop now: open transactions are rolled back and their connections closed."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def wait_ready(self, timeout: float = 30) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
