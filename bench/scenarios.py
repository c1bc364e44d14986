"""Every scenario the bench measures, in the order of the table. Add one here.

A load scenario names our request, the floor's request and its targets; a route that
answers 404 (or 405) on ours is reported as "not built yet". A measured scenario names the
function that measures it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bench import lighthouse, pageweight, sweep
from bench.context import Context
from bench.load import Call, LoadScenario
from bench.outcome import Outcome, Rule, Spec

ENTRY = json.dumps(
    {
        "intensity": 6,
        "worst_24h": 8,
        "least_24h": 3,
        "average_24h": 5,
        "locations": [
            {"region": "front_head_right", "intensity": 7, "qualities": ["burning", "sharp"]},
            {"region": "front_chest_left", "intensity": 4},
        ],
        "qualities": ["burning", "pins_and_needles"],
        "interference": {"sleep": 6, "mood": 5, "walking": 3},
        "sleep_quality": 4,
        "mood": 5,
        "triggers": ["cold"],
        "note": "Burning after the walk in the cold.",
    }
)

LOAD: tuple[LoadScenario, ...] = (
    LoadScenario(
        "constant",
        "Constant answer (reference list)",
        ours=Call("GET", "/api/v1/reference/qualities"),
        floor=Call("GET", "/const"),
        note="constant: the framework's own cost, no database (no target)",
    ),
    LoadScenario(
        "post_entry",
        "Post an entry",
        ours=Call("POST", "/api/v1/patients/me/entries", user="poster", body=ENTRY, expect=201),
        floor=Call("POST", "/insert", body=ENTRY, expect=201),
        rules=(
            Rule("ratio", ">=", 0.5, ">= 0.5x floor"),
            Rule("ours_p99_ms", "<", 100, "p99 < 100 ms"),
        ),
        note="post_entry: signed in, session cookie + X-CSRFToken, full validation",
        pending=(("the audit event", "/api/v1/patients/me/audit"),),
    ),
    LoadScenario(
        "trends_5y",
        "5-year daily trends",
        ours=Call(
            "GET",
            "/api/v1/patients/me/trends/daily?from={first_day}&to={last_day}",
            user="main",
        ),
        floor=Call("GET", "/groupby"),
        rules=(Rule("ratio", ">=", 1.0, ">= 1x floor"),),
    ),
    LoadScenario(
        "diary_page",
        "Diary list page",
        ours=Call("GET", "/entries", user="main"),
        floor=Call("GET", "/list"),
        note="diary_page: the floor renders the newest 50 rows as bare HTML (no target)",
    ),
    LoadScenario(
        "dashboard",
        "Clinician dashboard, 200 patients",
        ours=Call("GET", "/api/v1/clinician/dashboard", user="clinician"),
        floor=Call("GET", "/dashboard"),
        rules=(Rule("ours_p50_ms", "<", 100, "p50 < 100 ms"),),
        needs="care_links",
    ),
)

Measure = Callable[[Context, Spec], Outcome]
# Mobile scores. The targets are the log page's; the trends page is measured, and held to the
# accessibility one (its performance is mostly Chart.js starting up, which a slow CPU shows).
A11Y = Rule("a11y", ">=", 100, "a11y 100")
LIGHTHOUSE = (Rule("perf", ">=", 95, "perf >= 95"), A11Y)

MEASURED: tuple[tuple[Spec, Measure], ...] = (
    (
        Spec(
            "reminder_sweep",
            "Reminder sweep, 100,000 due",
            rules=(Rule("value", "<", 120, "< 2 min"),),
        ),
        sweep.measure,
    ),
    (
        Spec(
            "log_page_bytes",
            "First visit to the log page",
            rules=(Rule("value", "<", 150_000, "< 150 KB gz"),),
            page="/entries/new",
        ),
        pageweight.measure,
    ),
    (
        Spec("lighthouse", "Lighthouse, log page", rules=LIGHTHOUSE, page="/entries/new"),
        lighthouse.measure,
    ),
    (
        Spec("lighthouse_trends", "Lighthouse, trends page", rules=(A11Y,), page="/trends"),
        lighthouse.measure,
    ),
)
