"""The main finding of a period, said in plain words."""

from __future__ import annotations

from diary.services.trends import Change


def _period_name(days: int) -> str:
    names = {7: "week", 14: "two weeks", 30: "30 days", 91: "three months", 365: "year"}
    return names.get(days, f"{days} days")


def summary_sentence(change: Change) -> str:
    """E.g. "Your average pain over the last 30 days was 4.2, down 1.3 from the 30 days before."""
    current, previous = change.current, change.previous
    period = _period_name(current.days_in_range)
    if current.mean is None:
        return f"Nothing was logged in these {current.days_in_range} days."
    logged = f"You logged on {current.days_logged} of {current.days_in_range} days."
    first = f"Your average pain over these {period} was {current.mean:.1f}"
    if period in ("week", "year"):
        first = f"Your average pain over this {period} was {current.mean:.1f}"
    if previous.mean is None or change.change is None:
        return f"{first}. {logged}"
    if abs(change.change) < 0.05:
        return f"{first}, the same as the {period} before. {logged}"
    direction = "down" if change.change < 0 else "up"
    return f"{first}, {direction} {abs(change.change):.1f} from the {period} before. {logged}"
