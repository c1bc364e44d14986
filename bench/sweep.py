"""One reminder sweep: `flask reminders dispatch` over 100,000 due schedules.

The pushes go to a local endpoint that stands in for the push service (it answers 201 and
counts). Seeding the schedules needs the reminders schema, which does not exist yet:
`seed_reminders` says so, and is where that seeding goes once the feature lands.
"""

from __future__ import annotations

import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import psycopg

from bench.context import Context
from bench.outcome import NOT_BUILT, Outcome, Spec
from bench.settings import HOST, PYTHON, ROOT

SCHEDULES = 100_000
TIMEOUT = 240.0  # twice the target: past it the verdict is clear


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client hanging up mid-keep-alive is not news


class PushSink:
    """A local push service: accepts every POST with 201 and counts them."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real push service allows

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with sink._lock:
                    sink.count += 1
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = _QuietServer((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self._server.server_address[1]}/push"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> PushSink:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def _flask(ctx: Context, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (fixed argv, our own interpreter)
        [PYTHON, "-m", "flask", *args],
        cwd=ROOT,
        env=ctx.app_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def seed_reminders(ctx: Context, push_url: str) -> str:
    """Make SCHEDULES schedules due now, pushing to push_url; return "seeded" or why not."""
    with psycopg.connect(ctx.settings.dsn()) as conn:
        row = conn.execute("SELECT to_regclass('public.reminder_schedules')").fetchone()
    if row is None or row[0] is None:
        return "not built yet (no reminder_schedules table)"
    # The schema exists: write the seeding here (users' push subscriptions pointing at
    # push_url, SCHEDULES enabled schedules with next_fire_at in the past, no deliveries).
    return "not seeded: no seeder yet in bench/sweep.py"


def measure(ctx: Context, spec: Spec) -> Outcome:
    outcome = Outcome(spec.key, spec.name, rules=spec.rules)
    key = spec.key
    if _flask(ctx, "reminders", "dispatch", "--help", timeout=60).returncode != 0:
        outcome.status = NOT_BUILT
        return outcome
    with PushSink() as sink:
        state = seed_reminders(ctx, sink.url)
        if state != "seeded":
            outcome.status = f"not measured: reminders {state}"
            return outcome
        started = time.monotonic()
        try:
            done = _flask(ctx, "reminders", "dispatch", timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            outcome.value = TIMEOUT
            outcome.value_text = f"> {TIMEOUT:.0f} s"
            outcome.notes.append(f"{key}: stopped after {TIMEOUT:.0f} s, {sink.count:,} pushes")
            return outcome
        seconds = time.monotonic() - started
    if done.returncode != 0:
        outcome.status = f"error: dispatch exited {done.returncode}"
        outcome.notes.append(f"{key}: {done.stderr[-300:]}")
        return outcome
    outcome.value = seconds
    outcome.value_text = f"{seconds:.1f} s"
    outcome.notes.append(f"{key}: the push endpoint received {sink.count:,} of {SCHEDULES:,}")
    if sink.count < SCHEDULES:
        outcome.status = f"error: only {sink.count:,} pushes arrived"
    return outcome
