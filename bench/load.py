"""Load scenarios: one request shape against ours and one against the floor, both under wrk."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from bench import driver
from bench.client import Answer, Client
from bench.context import Context
from bench.outcome import NOT_BUILT, Outcome, Rule


@dataclass(frozen=True)
class Call:
    """One HTTP request; `path` may name {first_day}, {last_day}, {main_id}."""

    method: str
    path: str
    user: str | None = None  # the bench user who signs in: main, poster, clinician
    body: str = ""
    expect: int = 200
    client_ids: bool = False  # a fresh UUID per request, as the offline client sends


@dataclass(frozen=True)
class LoadScenario:
    key: str
    name: str
    ours: Call
    floor: Call
    rules: tuple[Rule, ...] = ()
    needs: str | None = None  # a seed part that must be in place ("care_links")
    note: str = ""
    # Parts of the work that come with later features: (what, a GET route that shows it is
    # built). While the route answers 404 the table notes that it was measured without it.
    pending: tuple[tuple[str, str], ...] = ()


def _log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _send(client: Client, call: Call, path: str) -> Answer:
    body = call.body.encode() if call.body else None
    return client.request(call.method, path, body=body)


def _headers(client: Client, call: Call) -> dict[str, str]:
    headers: dict[str, str] = {}
    if client.cookies:
        headers["Cookie"] = client.cookie_header()
    if call.method != "GET" and client.csrf_token:
        headers["X-CSRFToken"] = client.csrf_token
    if call.body:
        headers["Content-Type"] = "application/json"
    return headers


def _drive(ctx: Context, base_url: str, client: Client, call: Call, path: str) -> driver.LoadResult:
    """A short warm-up (connections, caches), then the measured run."""

    def drive(seconds: int) -> driver.LoadResult:
        return driver.run(
            ctx.settings,
            base_url + path,
            method=call.method,
            body=call.body,
            headers=_headers(client, call),
            seconds=seconds,
            client_ids=call.client_ids,
        )

    if ctx.settings.warmup_seconds > 0:
        drive(ctx.settings.warmup_seconds)
    return drive(ctx.settings.seconds)


def run_load(ctx: Context, scenario: LoadScenario) -> Outcome:
    outcome = Outcome(scenario.key, scenario.name, rules=scenario.rules)
    if scenario.note:
        outcome.notes.append(scenario.note)
    ours = ctx.client(scenario.ours.user)
    for what, probe in scenario.pending:
        if ours.get(probe).status in (404, 405):
            outcome.notes.append(f"{scenario.key}: measured without {what} (not built yet)")
    path = scenario.ours.path.format(**ctx.placeholders())
    first = _send(ours, scenario.ours, path)
    if first.status in (404, 405):
        outcome.status = NOT_BUILT
        return outcome
    if scenario.needs and ctx.parts.get(scenario.needs) != "seeded":
        outcome.status = f"not measured: {scenario.needs} {ctx.parts.get(scenario.needs, '?')}"
        return outcome
    if first.status != scenario.ours.expect:
        outcome.status = f"error: ours answered {first.status}"
        outcome.notes.append(f"{scenario.key}: {first.body[:200]!r}")
        return outcome
    floor = Client(ctx.floor_url)
    floor_first = _send(floor, scenario.floor, scenario.floor.path)
    if floor_first.status != scenario.floor.expect:
        outcome.status = f"error: floor answered {floor_first.status}"
        return outcome
    _log(f"{scenario.key}: ours {scenario.ours.method} {path}")
    outcome.ours = _drive(ctx, ctx.ours_url, ours, scenario.ours, path)
    _log(f"{scenario.key}: floor {scenario.floor.method} {scenario.floor.path}")
    outcome.floor = _drive(ctx, ctx.floor_url, floor, scenario.floor, scenario.floor.path)
    for side, result in (("ours", outcome.ours), ("floor", outcome.floor)):
        if result.non_2xx or result.socket_errors:
            outcome.notes.append(
                f"{scenario.key}: {side} had {result.non_2xx} non-2xx answers and "
                f"{result.socket_errors} socket errors in {result.requests} requests"
            )
    for label in outcome.missed_by_the_floor_too():
        outcome.notes.append(
            f"{scenario.key}: the floor itself misses '{label}' on this machine "
            f"(its p50 {outcome.floor.p50_ms:.0f} ms, p99 {outcome.floor.p99_ms:.0f} ms)"
        )
    return outcome
