"""`make faults`: stop PostgreSQL in the middle of a stream of entry posts, then start it.

1. PostgreSQL: a private cluster (ops/cluster.py), the app under gunicorn (2 workers, 4
   threads, production settings, Redis rate limits). Writers post entries with their own
   ids; after a few seconds the cluster is stopped (`pg_ctl stop -m fast`), kept down, and
   started again. Afterwards: every entry answered 2xx is in the database, every other
   answer was 503 with Retry-After within 5 s, nothing hung, and posts succeed again
   without restarting the app.
2. SQLite: the same app on one SQLite file, 16 writers at once: every post 201, no
   "database is locked".

Prints the figures and exits 1 when a check fails. Talks to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.client import Client
from bench.procs import Server, free_port, gunicorn_argv
from bench.settings import PYTHON, ROOT, Settings
from ops.cluster import Cluster

BEFORE, DOWN, AFTER = 6.0, 4.0, 10.0  # seconds of posting before, during, after the outage
PG_WRITERS, SQLITE_WRITERS, SQLITE_POSTS = 8, 16, 25
ANSWER_WITHIN = 5.0
PASSWORD = "faults-password-not-secret"  # noqa: S105 (a throwaway database)


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Post:
    id: str
    started: float
    seconds: float
    status: int  # 0: no answer (connection error or timeout)
    retry_after: str | None


@dataclass
class Run:
    posts: list[Post] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, post: Post) -> None:
        with self.lock:
            self.posts.append(post)


def app_env(database_url: str, prefix: str) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DIARY_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "RATELIMIT_KEY_PREFIX": prefix,
        "PYTHONUNBUFFERED": "1",
    }


def migrate(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 (fixed argv, our own interpreter)
        [PYTHON, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def serve(env: dict[str, str], logs: Path, name: str) -> Server:
    settings = Settings.from_env()
    port = free_port()
    argv = gunicorn_argv(settings, "wsgi:app", port)
    server = Server(name, argv, env, port, "/healthz", logs / f"{name}.log")
    server.start()
    server.wait_ready()
    return server


def writer(url: str, client: Client, stop_at: float, run: Run, limit: int | None = None) -> None:
    posted = 0
    while time.monotonic() < stop_at and (limit is None or posted < limit):
        entry_id = str(uuid.uuid4())
        started = time.monotonic()
        try:
            answer = client.post_json(
                "/api/v1/patients/me/entries", {"id": entry_id, "intensity": posted % 11}
            )
            status, retry = answer.status, answer.headers.get("Retry-After")
        except OSError:
            status, retry = 0, None
        run.add(Post(entry_id, started, time.monotonic() - started, status, retry))
        posted += 1
        if status == 503:
            time.sleep(0.05)  # a polite client; Retry-After says 5 s, this one is impatient


def sign_up(url: str, number: int, tag: str) -> Client:
    client = Client(url)
    client.fetch_csrf()
    email = f"faults-{tag}-{number}@example.org"
    answer = client.post_json(
        "/api/v1/auth/register",
        {"email": email, "password": PASSWORD, "display_name": f"W{number}", "timezone": "UTC"},
    )
    if answer.status != 201:
        raise RuntimeError(f"register answered {answer.status}: {answer.body[:200]!r}")
    client.login(email, PASSWORD)
    return client


def stored_ids(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {str(row[0]) for row in conn.execute("SELECT id FROM pain_entries")}


def summarise(name: str, run: Run, stored: set[str]) -> tuple[list[str], dict[str, float]]:
    """The figures of a run, and what went wrong (empty when every check held)."""
    ok = [p for p in run.posts if 200 <= p.status < 300]
    busy = [p for p in run.posts if p.status == 503]
    other = [p for p in run.posts if not (200 <= p.status < 300 or p.status == 503)]
    lost = [p for p in ok if p.id not in stored]
    slow = [p for p in run.posts if p.seconds > ANSWER_WITHIN]
    no_retry = [p for p in busy if not p.retry_after]
    figures = {
        "requests": len(run.posts),
        "2xx": len(ok),
        "503": len(busy),
        "other": len(other),
        "lost": len(lost),
        "max_503_s": max((p.seconds for p in busy), default=0.0),
        "max_s": max((p.seconds for p in run.posts), default=0.0),
    }
    problems = []
    if lost:
        problems.append(f"{name}: {len(lost)} entries answered 2xx are missing")
    if other:
        statuses = sorted({p.status for p in other})
        problems.append(f"{name}: {len(other)} answers neither 2xx nor 503: {statuses}")
    if slow:
        problems.append(f"{name}: {len(slow)} answers took longer than {ANSWER_WITHIN:.0f} s")
    if no_retry:
        problems.append(f"{name}: {len(no_retry)} 503 answers without Retry-After")
    return problems, figures


def postgres_outage(logs: Path) -> list[str]:
    cluster = Cluster()
    server = None
    try:
        cluster.create()
        cluster.start()
        cluster.wait_ready()
        with psycopg.connect(cluster.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE diary_faults")
        env = app_env(
            cluster.dsn("diary_faults").replace("postgresql://", "postgresql+psycopg://"),
            f"faults-{uuid.uuid4().hex[:8]}",
        )
        migrate(env)
        server = serve(env, logs, "postgresql")
        clients = [sign_up(server.url, n, "pg") for n in range(PG_WRITERS)]
        run = Run()
        begin = time.monotonic()
        stop_at = begin + BEFORE + DOWN + AFTER
        threads = [
            threading.Thread(target=writer, args=(server.url, c, stop_at, run)) for c in clients
        ]
        for thread in threads:
            thread.start()
        time.sleep(BEFORE)
        down_at = time.monotonic()
        log(f"stopping PostgreSQL (port {cluster.port}) at {time.strftime('%H:%M:%S')}")
        cluster.stop()
        time.sleep(max(0.0, DOWN - (time.monotonic() - down_at)))
        log("starting PostgreSQL again")
        cluster.start()
        up_at = time.monotonic()
        for thread in threads:
            thread.join(timeout=60)
        hung = [t for t in threads if t.is_alive()]
        stored = stored_ids(cluster.dsn("diary_faults"))
        problems, figures = summarise("PostgreSQL", run, stored)
        after = [p for p in run.posts if p.started >= up_at and 200 <= p.status < 300]
        first_ok = min((p.started + p.seconds for p in after), default=None)
        recovery = None if first_ok is None else first_ok - up_at
        failed_during = [p for p in run.posts if down_at <= p.started < up_at and p.status != 503]
        health = [Client(server.url).get("/healthz").status for _ in range(20)]
        if hung:
            problems.append(f"PostgreSQL: {len(hung)} writers never finished (a hung request)")
        if recovery is None:
            problems.append("PostgreSQL: no post succeeded after the database came back")
        if any(status != 200 for status in health):
            problems.append(f"PostgreSQL: /healthz after the outage answered {health}")
        if "WORKER TIMEOUT" in server.log_path.read_text(errors="replace"):
            problems.append("PostgreSQL: gunicorn killed a worker that hung (WORKER TIMEOUT)")
        recovered = (
            f"first 2xx {recovery:.2f} s after the database was back"
            if recovery is not None
            else "no 2xx after the database was back"
        )
        print(
            f"PostgreSQL outage: {figures['requests']} posts by {PG_WRITERS} writers over "
            f"{BEFORE + DOWN + AFTER:.0f} s, the database down for "
            f"{up_at - down_at:.1f} s (stop -m fast at +{down_at - begin:.1f} s)\n"
            f"  2xx {figures['2xx']}, 503 {figures['503']}, other {figures['other']}, "
            f"lost entries {figures['lost']}\n"
            f"  slowest 503 {figures['max_503_s']:.2f} s, slowest answer "
            f"{figures['max_s']:.2f} s; posts while down that were not 503: "
            f"{len(failed_during)} (in flight when it stopped, or already committed)\n"
            f"  {recovered}",
            flush=True,
        )
        return problems
    finally:
        if server is not None:
            server.stop()
        cluster.remove()


def sqlite_writers(logs: Path) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="diary-faults-sqlite-"))
    path = folder / "diary.sqlite3"
    env = app_env(f"sqlite:///{path}", f"faults-{uuid.uuid4().hex[:8]}")
    migrate(env)
    server = serve(env, logs, "sqlite")
    try:
        clients = [sign_up(server.url, n, "sqlite") for n in range(SQLITE_WRITERS)]
        run = Run()
        begin = time.monotonic()
        threads = [
            threading.Thread(target=writer, args=(server.url, c, begin + 120, run, SQLITE_POSTS))
            for c in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        seconds = time.monotonic() - begin
        with sqlite3.connect(path) as conn:
            stored = {str(uuid.UUID(r[0])) for r in conn.execute("SELECT id FROM pain_entries")}
        conn.close()
        problems, figures = summarise("SQLite", run, stored)
        created = sum(1 for p in run.posts if p.status == 201)
        if created != SQLITE_WRITERS * SQLITE_POSTS:
            problems.append(f"SQLite: {created} of {SQLITE_WRITERS * SQLITE_POSTS} posts were 201")
        locked = "database is locked" in server.log_path.read_text(errors="replace")
        if locked:
            problems.append('SQLite: the log mentions "database is locked"')
        print(
            f"SQLite, {SQLITE_WRITERS} writers x {SQLITE_POSTS} posts at once: "
            f"{figures['requests']} posts in {seconds:.1f} s, 201 {created}, "
            f"503 {figures['503']}, other {figures['other']}, lost {figures['lost']}, "
            f"slowest {figures['max_s']:.2f} s, 'database is locked' in the log: {locked}",
            flush=True,
        )
        return problems
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    logs = Path(tempfile.mkdtemp(prefix="diary-faults-logs-"))
    log(f"server logs in {logs}")
    problems = postgres_outage(logs) + sqlite_writers(logs)
    for problem in problems:
        print(f"  FAIL {problem}")
    print("make faults: " + ("FAILED" if problems else "every check held"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
