"""Compare two bench runs: `python -m bench.compare [OLD.json NEW.json]`.

Without arguments, the two newest files in bench/results/ are compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.settings import RESULTS_DIR


def _show(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:,.1f}{unit}"


def _change(old: float | None, new: float | None, unit: str = "") -> str:
    if old is None or new is None:
        return f"{_show(old, unit)} -> {_show(new, unit)}"
    delta = (new - old) / old * 100 if old else 0.0
    return f"{old:,.1f}{unit} -> {new:,.1f}{unit} ({delta:+.0f}%)"


def _get(scenario: dict[str, Any] | None, side: str, field: str) -> float | None:
    if scenario is None or scenario.get(side) is None:
        return None
    value = scenario[side][field]
    return float(value) if value is not None else None


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    before = {s["key"]: s for s in old["scenarios"]}
    lines = [
        f"{old['started_at']} ({old['git']['commit']}) -> "
        f"{new['started_at']} ({new['git']['commit']})"
    ]
    for scenario in new["scenarios"]:
        was = before.get(scenario["key"])
        lines.append(f"{scenario['name']}: {scenario['verdict']}")
        if scenario.get("ours"):
            lines.append(
                "  ours req/s " + _change(_get(was, "ours", "rps"), scenario["ours"]["rps"])
            )
            lines.append(
                "  ours p50   "
                + _change(_get(was, "ours", "p50_ms"), scenario["ours"]["p50_ms"], " ms")
            )
            lines.append(
                "  ours p99   "
                + _change(_get(was, "ours", "p99_ms"), scenario["ours"]["p99_ms"], " ms")
            )
            lines.append(
                "  floor req/s "
                + _change(_get(was, "floor", "rps"), _get(scenario, "floor", "rps"))
            )
        elif scenario.get("value") is not None:
            old_value = was.get("value") if was else None
            lines.append("  value " + _change(old_value, scenario["value"]))
        else:
            lines.append(f"  {scenario['status']}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        paths = [Path(argv[0]), Path(argv[1])]
    else:
        paths = sorted(RESULTS_DIR.glob("*.json"))[-2:]
        if len(paths) < 2:
            print("need two runs in bench/results/ (or name two JSON files)", file=sys.stderr)
            return 2
    old, new = (json.loads(path.read_text()) for path in paths)
    print("\n".join(compare(old, new)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
