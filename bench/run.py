"""`make bench`: seed, serve ours and the floor with gunicorn, drive both with wrk, report.

Exits 0 whatever the scenarios found (a missed target or a feature not built yet is a
result); 1 only when the harness itself breaks.
"""

from __future__ import annotations

import http.client
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from functools import partial
from typing import Any

import psycopg

from bench import careteam, driver, load, report, seed
from bench.client import ClientError
from bench.context import Context
from bench.outcome import Outcome, Rule
from bench.procs import Server, ServerError, app_env, free_port, gunicorn_argv
from bench.scenarios import LOAD, MEASURED
from bench.settings import RESULTS_DIR, ROOT, Settings

# What may go wrong inside one scenario without breaking the others.
SCENARIO_ERRORS = (
    ClientError,
    driver.WrkError,
    OSError,
    http.client.HTTPException,
    subprocess.SubprocessError,
    psycopg.Error,
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def git_facts() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 (fixed argv)
            ["git", *args],  # noqa: S607 (git from PATH)
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--short"))}


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def python_speed() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): how fast this machine's cores are.

    Absolute targets (p50, p99, seconds) move with the machine; this number says by how much,
    so runs on two machines can be read side by side.
    """
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for n in range(5_000_000):
            total += n
        best = min(best, time.perf_counter() - started)
    return best


def guarded(
    key: str, name: str, rules: tuple[Rule, ...], measure: Callable[[], Outcome]
) -> Outcome:
    log(f"scenario {key}")
    try:
        return measure()
    except SCENARIO_ERRORS as error:
        outcome = Outcome(key, name, status=f"error: {type(error).__name__}", rules=rules)
        outcome.notes.append(f"{key}: {error}")
        return outcome


def floor_env(settings: Settings, facts: seed.Facts) -> dict[str, str]:
    return {
        **os.environ,
        "FLOOR_DSN": settings.dsn(),
        "FLOOR_MAIN_ID": facts.main_id,
        "FLOOR_POSTER_ID": facts.poster_id,
        "FLOOR_SHARED_IDS": ",".join(facts.shared_ids),
    }


def measure_all(ctx: Context) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for scenario in LOAD:
        if ctx.settings.wants(scenario.key):
            outcomes.append(
                guarded(
                    scenario.key,
                    scenario.name,
                    scenario.rules,
                    partial(load.run_load, ctx, scenario),
                )
            )
    for spec, measure in MEASURED:
        if ctx.settings.wants(spec.key):
            outcomes.append(guarded(spec.key, spec.name, spec.rules, partial(measure, ctx, spec)))
    return outcomes


def serve_and_measure(
    settings: Settings, env: dict[str, str], info: seed.SeedInfo, stamp: str
) -> list[Outcome]:
    logs_dir = RESULTS_DIR / "logs" / stamp
    ours_port, floor_port = free_port(), free_port()
    servers = [
        Server(
            "ours",
            gunicorn_argv(settings, "wsgi:app", ours_port),
            env,
            ours_port,
            "/healthz",
            logs_dir / "ours.log",
        ),
        Server(
            "floor",
            gunicorn_argv(settings, "bench.floor:app", floor_port),
            floor_env(settings, info.facts),
            floor_port,
            "/const",
            logs_dir / "floor.log",
        ),
    ]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        ours, floor = servers
        log(f"serving ours on {ours.url} and the floor on {floor.url}")
        ctx = Context(settings, info.facts, ours.url, floor.url, env, logs_dir)
        try:
            ctx.parts["care_links"] = careteam.seed_care_links(ctx)
        except SCENARIO_ERRORS as error:
            ctx.parts["care_links"] = f"error: {type(error).__name__}"
            log(f"care links: {error}")
        info.parts.update(ctx.parts)
        outcomes = measure_all(ctx)
        if any(o.status.startswith("error") for o in outcomes):
            outcomes[-1].notes.append(f"server logs: {logs_dir.relative_to(ROOT)}/")
        return outcomes
    finally:
        for server in servers:
            server.stop()
        log("servers stopped")


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of all CPUs in use over a short while (0 to 1), from /proc/stat."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # total, idle + iowait

    try:
        total_0, idle_0 = sample()
        time.sleep(seconds)
        total_1, idle_1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1 - (idle_1 - idle_0) / max(total_1 - total_0, 1)


def busy_warning(busy: float) -> str | None:
    """Other work on the machine skews every number; say so when there was some."""
    if busy < 0.25:
        return None
    return (
        f"!! other work used {busy:.0%} of the CPUs just before the run: "
        "the numbers are noisy, compare with care"
    )


def header(
    settings: Settings, info: seed.SeedInfo, facts: dict[str, Any], when: str, speed: float
) -> str:
    counts = ", ".join(f"{n:,} {table}" for table, n in info.facts.counts.items())
    data = (
        f"reused {settings.database} (seeded earlier today)"
        if info.reused
        else f"seeded {settings.database} in {info.seed_seconds:.1f} s"
    )
    dirty = " + uncommitted changes" if facts["dirty"] else ""
    return "\n".join(
        [
            f"Pain Diary bench, {when}, commit {facts['commit']}{dirty}, "
            f"{os.cpu_count()} CPUs ({cpu_model()}); a 5,000,000-step Python loop takes "
            f"{speed:.2f} s here",
            f"wrk: {settings.connections} connections, {settings.wrk_threads} threads, "
            f"{settings.seconds} s per side after a {settings.warmup_seconds} s warm-up; "
            f"ours and the floor both under gunicorn -w {settings.workers} -k gthread "
            f"--threads {settings.worker_threads}",
            f"data: {data}: {counts}; care links: {info.parts.get('care_links', '?')}",
        ]
    )


def main() -> int:
    started = time.monotonic()
    busy_before = cpu_busy()
    speed = python_speed()
    try:
        settings = Settings.from_env()
    except ValueError as error:  # SettingsError, or a number that is not one
        log(str(error))
        return 1
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    try:
        driver.wrk_path()
        env = app_env(settings, secrets.token_urlsafe(48), f"bench-{stamp}-{os.getpid()}")
        log(f"preparing the database {settings.database}")
        info = seed.prepare(settings, env, now.date())
        log(
            ("reused" if info.reused else f"seeded in {info.seed_seconds:.1f} s;")
            + f" migrations {info.migrate_seconds:.1f} s, reset {info.reset_seconds:.1f} s"
        )
        outcomes = serve_and_measure(settings, env, info, stamp)
    except (seed.SeedError, ServerError, driver.WrkError, ClientError, psycopg.Error) as error:
        log(f"the harness broke: {error}")
        return 1
    total = time.monotonic() - started
    facts = git_facts()
    print(header(settings, info, facts, now.strftime("%Y-%m-%d %H:%M UTC"), speed))
    if warning := busy_warning(busy_before):
        print(warning)
    print()
    print(report.table(outcomes))
    print()
    for note in report.notes(outcomes):
        print(f"  * {note}")
    path = RESULTS_DIR / f"{stamp}.json"
    run_facts = {
        "started_at": now.isoformat(),
        "total_seconds": round(total, 1),
        "git": facts,
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": cpu_model(),
            "busy_before": round(busy_before, 2),
            "python_loop_seconds": round(speed, 3),
        },
        "settings": asdict(settings),
        "seed": {
            "reused": info.reused,
            "seed_seconds": round(info.seed_seconds, 1),
            "migrate_seconds": round(info.migrate_seconds, 1),
            "reset_seconds": round(info.reset_seconds, 1),
            "counts": info.facts.counts,
            "parts": info.parts,
        },
    }
    report.write_json(path, run_facts, outcomes)
    print(f"\nbench: {total:.0f} s in all; results in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
