"""The printed table and the JSON file of a run."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.driver import LoadResult
from bench.outcome import Outcome

COLUMNS = (
    "scenario",
    "ours req/s",
    "ours p50",
    "ours p99",
    "floor req/s",
    "floor p50",
    "floor p99",
    "ratio",
    "target",
    "verdict",
)


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def _side(result: LoadResult | None) -> list[str]:
    if result is None:
        return ["", "", ""]
    return [f"{result.rps:,.0f}", ms(result.p50_ms), ms(result.p99_ms)]


def row(outcome: Outcome) -> list[str]:
    if outcome.status != "measured":
        first = [outcome.status, "", ""]
    elif outcome.ours is None:
        first = [outcome.value_text, "", ""]
    else:
        first = _side(outcome.ours)
    ratio = f"{outcome.ratio:.2f}x" if outcome.ratio is not None else ""
    return [outcome.name, *first, *_side(outcome.floor), ratio, outcome.target, outcome.verdict]


def table(outcomes: list[Outcome]) -> str:
    rows = [list(COLUMNS), *(row(o) for o in outcomes)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    numeric = range(1, 8)

    def line(cells: list[str]) -> str:
        return " | ".join(
            cell.rjust(width) if i in numeric and cells is not rows[0] else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def notes(outcomes: list[Outcome]) -> list[str]:
    found = [note for outcome in outcomes for note in outcome.notes]
    found.append(
        "Rows that measure one quantity (bytes, seconds, scores) show it under 'ours req/s'."
    )
    return found


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "key": outcome.key,
        "name": outcome.name,
        "status": outcome.status,
        "ours": asdict(outcome.ours) if outcome.ours else None,
        "floor": asdict(outcome.floor) if outcome.floor else None,
        "ratio": outcome.ratio,
        "value": outcome.value,
        "value_text": outcome.value_text,
        "target": outcome.target,
        "verdict": outcome.verdict,
        "notes": outcome.notes,
    }


def write_json(path: Path, run: dict[str, Any], outcomes: list[Outcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {**run, "scenarios": [outcome_json(o) for o in outcomes]}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
