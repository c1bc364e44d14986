"""What a scenario yields, and the target rules that judge it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bench.driver import LoadResult

# "perf" and "a11y": Lighthouse's performance and accessibility scores (0-100).
Metric = Literal["ratio", "ours_p50_ms", "ours_p99_ms", "value", "perf", "a11y"]

# A scenario's status when it was not measured; the table prints it instead of numbers.
NOT_BUILT = "not built yet"
NOT_RUN = "not run"


@dataclass(frozen=True)
class Rule:
    """One target: a measured quantity, a bound, and how the table says it."""

    metric: Metric
    op: Literal[">=", "<"]
    limit: float
    label: str

    def holds(self, measures: dict[str, float]) -> bool | None:
        value = measures.get(self.metric)
        if value is None:
            return None
        return value >= self.limit if self.op == ">=" else value < self.limit


@dataclass
class Outcome:
    key: str
    name: str
    status: str = "measured"  # or NOT_BUILT, NOT_RUN, "error: ..."
    ours: LoadResult | None = None
    floor: LoadResult | None = None
    value: float | None = None  # for rows that measure one quantity (bytes, seconds)
    value_text: str = ""
    scores: dict[str, float] = field(default_factory=dict)  # Lighthouse's, by short name
    rules: tuple[Rule, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.floor is None or self.floor.rps == 0:
            return None
        return self.ours.rps / self.floor.rps

    def measures(self) -> dict[str, float]:
        found: dict[str, float] = {}
        if self.ratio is not None:
            found["ratio"] = self.ratio
        if self.ours is not None:
            found["ours_p50_ms"] = self.ours.p50_ms
            found["ours_p99_ms"] = self.ours.p99_ms
        if self.value is not None:
            found["value"] = self.value
        found.update(self.scores)
        return found

    def missed_by_the_floor_too(self) -> list[str]:
        """The latency targets that the floor misses as well: this machine, not our code.

        The verdict stays what our numbers say; the note says how far the machine allows.
        """
        if self.floor is None:
            return []
        floor = {"ours_p50_ms": self.floor.p50_ms, "ours_p99_ms": self.floor.p99_ms}
        return [r.label for r in self.rules if r.metric in floor and r.holds(floor) is False]

    @property
    def target(self) -> str:
        return "; ".join(rule.label for rule in self.rules) or "—"

    @property
    def verdict(self) -> str:
        if self.status != "measured":
            return self.status
        if self.ours is not None and self.ours.error_share > 0.01:
            return "ERRORS"
        missed = [r.label for r in self.rules if r.holds(self.measures()) is False]
        if missed:
            return "MISS: " + "; ".join(missed)
        return "PASS" if self.rules else "—"


@dataclass(frozen=True)
class Spec:
    """A scenario that measures one quantity (bytes, seconds, scores), not a request rate."""

    key: str
    name: str
    rules: tuple[Rule, ...] = ()
    page: str = ""
