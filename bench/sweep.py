"""One reminder sweep over 100,000 due schedules, timed by `flask reminders bench`.

That command seeds the schedules into the bench database, starts a local endpoint standing
in for the push service, times one sweep (the same code as `flask reminders run`) and removes
what it seeded.
"""

from __future__ import annotations

import json
import subprocess

from bench.context import Context
from bench.outcome import NOT_BUILT, Outcome, Spec
from bench.settings import PYTHON, ROOT

SCHEDULES = 100_000
TIMEOUT = 240.0  # twice the target: past it the verdict is clear


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


def measure(ctx: Context, spec: Spec) -> Outcome:
    """Run `flask reminders bench`: it seeds SCHEDULES due schedules, starts its own local
    push endpoint, times one sweep and removes what it seeded."""
    outcome = Outcome(spec.key, spec.name, rules=spec.rules)
    key = spec.key
    if _flask(ctx, "reminders", "bench", "--help", timeout=60).returncode != 0:
        outcome.status = NOT_BUILT
        return outcome
    ctx.app_env["PUSH_ALLOW_HTTP"] = "true"  # the stand-in push service speaks plain http
    try:
        done = _flask(ctx, "reminders", "bench", "--count", str(SCHEDULES), timeout=TIMEOUT * 2)
    except subprocess.TimeoutExpired:
        outcome.value = TIMEOUT * 2
        outcome.value_text = f"> {TIMEOUT * 2:.0f} s"
        outcome.notes.append(f"{key}: stopped after {TIMEOUT * 2:.0f} s (seeding included)")
        return outcome
    if done.returncode != 0:
        outcome.status = f"error: reminders bench exited {done.returncode}"
        outcome.notes.append(f"{key}: {done.stderr[-300:]}")
        return outcome
    figures = json.loads(done.stdout[done.stdout.index("{") :])
    seconds = float(figures["seconds"])
    outcome.value = seconds
    outcome.value_text = f"{seconds:.1f} s"
    distinct = figures["endpoint_received_distinct"]
    outcome.notes.append(
        f"{key}: {figures['sent']:,} sent, the push endpoint saw {distinct:,} distinct"
        f" subscriptions; {figures['per_second']:,}/s, batches of {figures['batch_size']},"
        f" {figures['push_workers']} senders (seeding {figures['seed_seconds']} s, not timed)"
    )
    if distinct < SCHEDULES:
        outcome.status = f"error: only {distinct:,} pushes arrived"
    return outcome
