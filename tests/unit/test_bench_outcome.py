"""The bench's verdicts: a missed target stays missed; a note names what the floor misses too."""

from __future__ import annotations

from bench.driver import LoadResult
from bench.outcome import Outcome, Rule

P50 = Rule("ours_p50_ms", "<", 100, "p50 < 100 ms")
RATIO = Rule("ratio", ">=", 0.5, ">= 0.5x floor")


def result(rps: float, p50: float, p99: float) -> LoadResult:
    return LoadResult(
        rps=rps,
        p50_ms=p50,
        p99_ms=p99,
        requests=int(rps * 10),
        seconds=10,
        non_2xx=0,
        socket_errors=0,
    )


def test_a_floor_slower_than_the_target_is_named_and_the_verdict_stands() -> None:
    outcome = Outcome("dashboard", "Dashboard", rules=(P50, RATIO))
    outcome.ours, outcome.floor = result(30, 500, 900), result(113, 151, 389)

    assert outcome.missed_by_the_floor_too() == ["p50 < 100 ms"]
    assert outcome.verdict == "MISS: p50 < 100 ms; >= 0.5x floor"


def test_a_floor_within_the_target_adds_no_note() -> None:
    outcome = Outcome("dashboard", "Dashboard", rules=(P50,))
    outcome.ours, outcome.floor = result(30, 500, 900), result(300, 40, 90)

    assert outcome.missed_by_the_floor_too() == []
    assert outcome.verdict == "MISS: p50 < 100 ms"


def test_lighthouse_scores_are_judged_by_their_own_rules() -> None:
    rules = (Rule("perf", ">=", 95, "perf >= 95"), Rule("a11y", ">=", 100, "a11y 100"))
    good = Outcome("lighthouse", "Lighthouse", rules=rules, scores={"perf": 98, "a11y": 100})
    weak = Outcome("lighthouse", "Lighthouse", rules=rules, scores={"perf": 98, "a11y": 96})

    assert good.verdict == "PASS"
    assert weak.verdict == "MISS: a11y 100"
