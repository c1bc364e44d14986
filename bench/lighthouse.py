"""Lighthouse scores of a page, behind BENCH_LIGHTHOUSE=1 (about 15 s; npx downloads it once).

Runs the npm package through npx with Debian's Chromium (CHROME_PATH); the bench user's
session cookie goes in as an extra header, since the page needs a signed-in patient.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench.context import Context
from bench.outcome import NOT_BUILT, NOT_RUN, Outcome, Spec

VERSION = "12.8.2"  # 13.x wants Node >= 22.19; Debian 12 has Node 20
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}


def run_lighthouse(url: str, cookie: str, out: Path) -> dict[str, int]:
    """Scores 0-100 by category; raises RuntimeError when Lighthouse fails."""
    npx = shutil.which("npx")
    if npx is None:
        raise RuntimeError("npx is missing (Debian's npm)")
    argv = [
        npx,
        "--yes",
        f"lighthouse@{VERSION}",
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(  # noqa: S603 (npx from PATH, argv built here)
        argv, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed ({done.returncode}): {done.stderr[-500:]}")
    report = json.loads(out.read_text())
    return {
        short: round(100 * (report["categories"][name]["score"] or 0))
        for name, short in CATEGORIES.items()
    }


def measure(ctx: Context, spec: Spec) -> Outcome:
    outcome = Outcome(spec.key, spec.name, rules=spec.rules)
    key, page = spec.key, spec.page
    if not ctx.settings.lighthouse:
        outcome.status = NOT_RUN
        outcome.notes.append(f"{key}: set BENCH_LIGHTHOUSE=1 to run Lighthouse (~15 s)")
        return outcome
    client = ctx.client("main")
    if client.get(page).status in (404, 405):
        outcome.status = NOT_BUILT
        return outcome
    if not Path(CHROMIUM).exists():
        outcome.status = NOT_RUN
        outcome.notes.append(f"{key}: {CHROMIUM} is missing")
        return outcome
    try:
        scores = run_lighthouse(
            ctx.ours_url + page, client.cookie_header(), ctx.logs_dir / f"{key}.json"
        )
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        outcome.status = "error: lighthouse"
        outcome.notes.append(f"{key}: {error}")
        return outcome
    outcome.value = min(scores.values())
    outcome.scores = {short: float(score) for short, score in scores.items()}
    outcome.value_text = " ".join(f"{short} {score}" for short, score in scores.items())
    outcome.notes.append(f"{key}: report in {ctx.logs_dir / f'{key}.json'}")
    return outcome
