"""`make load`: gunicorn on PostgreSQL under a realistic mix for 60 s, driven by wrk.

The data are the bench's (bench/seed.py: 1,000 patients with a year of entries each, one
with five years, a clinician with 200 shared patients), in their own database `diary_load`
so that `make bench` keeps its figures. Before the load, a check that rate limits are
shared through Redis: eleven failed sign-ins for one account, each on a new connection,
answered 401 ten times then 429, and gunicorn's access log shows which worker took each.

Settings: LOAD_SECONDS (60), LOAD_CONNECTIONS (16), LOAD_PATIENTS (24 signed-in patients),
and the bench's BENCH_WORKERS, BENCH_WORKER_THREADS, BENCH_POSTGRES_URL, BENCH_REDIS_URL.
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import careteam, seed
from bench.client import Client
from bench.context import Context
from bench.driver import wrk_path
from bench.procs import Server, app_env, free_port, gunicorn_argv
from bench.seed import CLINICIAN_EMAIL, DOMAIN
from bench.settings import ROOT, Settings

MIX_SCRIPT = ROOT / "ops" / "wrk" / "mix.lua"
ACCESS_FORMAT = '%(p)s %(s)s %(M)s "%(m)s %(U)s"'
ACCESS_LINE = re.compile(r'^<(\d+)> (\d{3}) (\d+) "(\w+) (\S+)"$')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def access_lines(path: Path) -> list[tuple[int, int, int, str, str]]:
    """(worker pid, status, milliseconds, method, path) of each request gunicorn logged."""
    lines = []
    for raw in path.read_text(errors="replace").splitlines():
        match = ACCESS_LINE.match(raw.strip())
        if match:
            pid, status, ms, method, url = match.groups()
            lines.append((int(pid), int(status), int(ms), method, url))
    return lines


def shared_limits(server: Server, access_log: Path) -> list[str]:
    """Eleven failed sign-ins for one account on new connections: 401 x 10, then 429."""
    email = f"nobody-{secrets.token_hex(4)}@{DOMAIN}"
    before = len(access_lines(access_log))
    statuses = []
    for _ in range(11):
        client = Client(server.url)
        client.fetch_csrf()
        answer = client.post_json("/api/v1/auth/login", {"email": email, "password": "wrong!"})
        statuses.append(answer.status)
    time.sleep(0.5)  # let gunicorn write its access lines
    logins = [line for line in access_lines(access_log)[before:] if line[4].endswith("/login")]
    workers = Counter(pid for pid, *_ in logins)
    print(
        f"Shared login limit: 11 failed sign-ins for one account answered {statuses}; "
        f"taken by {len(workers)} gunicorn workers ({dict(workers)} requests per worker pid)"
    )
    problems = []
    if statuses != [401] * 10 + [429]:
        problems.append(f"the login limit answered {statuses}, not 401 x 10 then 429")
    if len(workers) < 2:
        problems.append("every sign-in landed on one worker: the proof needs two; run again")
    return problems


def sessions(ctx: Context, patients: int) -> str:
    """MIX_USERS for the Lua script: signed-in patients and the clinician (per shared id)."""
    lines = []
    for number in range(1, patients + 1):
        client = Client(ctx.ours_url)
        client.login(f"bench-p{number:04d}@{DOMAIN}")
        lines.append(f"patient|{client.cookie_header()}|{client.csrf_token}|")
    clinician = Client(ctx.ours_url)
    clinician.login(CLINICIAN_EMAIL)
    for shared in ctx.facts.shared_ids[:50]:
        lines.append(f"clinician|{clinician.cookie_header()}|{clinician.csrf_token}|{shared}")
    return "\n".join(lines)


def kind_of(method: str, url: str) -> str:
    path = UUID.sub("{id}", url.split("?", 1)[0])
    return f"{method} {path}"


def per_kind(lines: list[tuple[int, int, int, str, str]]) -> list[str]:
    """Server-side time per kind of request (gunicorn's own measure, in ms)."""
    times: dict[str, list[int]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for _pid, status, ms, method, url in lines:
        kind = kind_of(method, url)
        times[kind].append(ms)
        statuses[kind][status] += 1
    rows = []
    for kind, values in sorted(times.items(), key=lambda item: -len(item[1])):
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        rows.append(
            f"  {kind:<50} {len(values):>7} req  p50 {cuts[49]:>5.0f} ms  p95 {cuts[94]:>5.0f} ms"
            f"  p99 {cuts[98]:>5.0f} ms  {dict(statuses[kind])}"
        )
    return rows


def drive(url: str, users: str, seconds: int, connections: int) -> dict[str, float]:
    year = (datetime.now(UTC).date() - timedelta(days=364)).isoformat()
    argv = [wrk_path(), "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
    argv += ["--timeout", "10s", "-s", str(MIX_SCRIPT), url]
    env = {**os.environ, "MIX_USERS": users, "MIX_YEAR": year}
    done = subprocess.run(  # noqa: S603 (fixed argv)
        argv, capture_output=True, text=True, env=env, check=True, timeout=seconds + 60
    )
    line = next(raw for raw in done.stdout.splitlines() if raw.startswith("MIX "))
    return {key: float(value) for key, value in (pair.split("=") for pair in line.split()[1:])}


def main() -> int:
    settings = dataclasses.replace(
        Settings.from_env(), database=os.environ.get("LOAD_DATABASE", "diary_load")
    )
    seconds, connections = _int("LOAD_SECONDS", 60), _int("LOAD_CONNECTIONS", 16)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    env = app_env(settings, secrets.token_urlsafe(48), f"load-{stamp}-{os.getpid()}")
    log(f"preparing {settings.database} (seeded once a day, like the bench's)")
    info = seed.prepare(settings, env, datetime.now(UTC).date())
    logs = Path(tempfile.mkdtemp(prefix="diary-load-"))
    access_log = logs / "access.log"
    port = free_port()
    argv = gunicorn_argv(settings, "wsgi:app", port)
    argv[-1:-1] = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
    server = Server("ours", argv, env, port, "/healthz", logs / "ours.log")
    problems: list[str] = []
    try:
        server.start()
        server.wait_ready()
        ctx = Context(settings, info.facts, server.url, "", env, logs)
        log(f"care links: {careteam.seed_care_links(ctx)}")
        problems += shared_limits(server, access_log)
        users = sessions(ctx, _int("LOAD_PATIENTS", 24))
        first = len(access_lines(access_log))
        log(f"wrk: {connections} connections for {seconds} s against {server.url}")
        result = drive(server.url, users, seconds, connections)
        time.sleep(0.5)
        lines = access_lines(access_log)[first:]
    finally:
        server.stop()
    errors = result["non2xx"] + sum(result[k] for k in ("connect", "read", "write", "timeout"))
    statuses = Counter(status for _pid, status, *_ in lines)
    print(
        f"Load: {seconds} s, {connections} connections (wrk, 2 threads), gunicorn -w "
        f"{settings.workers} -k gthread --threads {settings.worker_threads}, PostgreSQL, Redis\n"
        f"  {result['requests']:.0f} requests, {result['requests'] / result['seconds']:.1f} "
        f"req/s; latency p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, p99 "
        f"{result['p99']:.1f} ms, max {result['max']:.1f} ms; errors {errors:.0f} "
        f"(non-2xx {result['non2xx']:.0f}, timeouts {result['timeout']:.0f})\n"
        f"  statuses seen by gunicorn: {dict(statuses)}\n"
        f"  per kind (server-side time):"
    )
    print("\n".join(per_kind(lines)))
    if errors:
        problems.append(f"{errors:.0f} requests failed under load")
    for problem in problems:
        print(f"  FAIL {problem}")
    print("make load: " + ("FAILED" if problems else "done"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
