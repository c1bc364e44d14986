"""Scores of the validated questionnaires: plain functions, each citing its published rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from statistics import fmean
from typing import Any

Answers = Mapping[str, Any]
Scores = dict[str, float | int | None]

PEG_ITEMS = ("pain", "enjoyment", "general_activity")
BPI_SEVERITY_ITEMS = ("worst", "least", "average", "now")
BPI_INTERFERENCE_ITEMS = (
    "general_activity",
    "mood",
    "walking",
    "work",
    "relations",
    "sleep",
    "enjoyment",
)
BPI_INTERFERENCE_MINIMUM = 4
NPSI_INTENSITY_ITEMS = ("q1", "q2", "q3", "q5", "q6", "q8", "q9", "q10", "q11", "q12")
NPSI_SUBSCORES = {
    "burning": ("q1",),
    "pressing": ("q2", "q3"),
    "paroxysmal": ("q5", "q6"),
    "evoked": ("q8", "q9", "q10"),
    "paresthesia": ("q11", "q12"),
}
PGIC_LABELS = {
    1: "Very much improved",
    2: "Much improved",
    3: "Minimally improved",
    4: "No change",
    5: "Minimally worse",
    6: "Much worse",
    7: "Very much worse",
}


def _answered(answers: Answers, items: Sequence[str]) -> list[int]:
    # A 0 is an answer: only a missing item or null is unanswered.
    return [answers[item] for item in items if answers.get(item) is not None]


def _mean_of_all(answers: Answers, items: Sequence[str]) -> float | None:
    values = _answered(answers, items)
    return round(fmean(values), 2) if len(values) == len(items) else None


def peg(answers: Answers) -> Scores:
    """PEG = the mean of pain, enjoyment of life and general activity (each 0-10).

    Krebs EE et al., J Gen Intern Med 2009;24:733-8. The paper scores the three items
    together and gives no rule for a missing one, so all three are needed.
    """
    return {"peg": _mean_of_all(answers, PEG_ITEMS)}


def bpi_severity(answers: Answers) -> float | None:
    """BPI severity = the mean of worst, least, average and now (0-10).

    Cleeland CS, The Brief Pain Inventory User Guide (2009): the composite uses the four
    severity items; the guide gives no rule for missing ones, so all four are needed.
    """
    return _mean_of_all(answers, BPI_SEVERITY_ITEMS)


def bpi_interference(answers: Answers) -> float | None:
    """BPI interference = the mean of the answered interference items, of seven (0-10).

    Cleeland CS, The Brief Pain Inventory User Guide (2009): the mean may be used when more
    than half of the items, i.e. at least four of the seven, were answered.
    """
    values = _answered(answers, BPI_INTERFERENCE_ITEMS)
    if len(values) < BPI_INTERFERENCE_MINIMUM:
        return None
    return round(fmean(values), 2)


def bpi_sf(answers: Answers) -> Scores:
    """The Brief Pain Inventory short form: severity and interference."""
    return {"severity": bpi_severity(answers), "interference": bpi_interference(answers)}


def npsi(answers: Answers) -> Scores:
    """NPSI total (0-100) = the sum of the ten intensity items; five sub-scores.

    Bouhassira D et al., Pain 2004;108:248-57: burning = Q1, pressing = mean(Q2, Q3),
    paroxysmal = mean(Q5, Q6), evoked = mean(Q8, Q9, Q10), paresthesia/dysesthesia =
    mean(Q11, Q12). Q4 and Q7 (duration, number of attacks) describe timing and are not
    scored. No rule for missing items is published: a score needs every item it sums.
    """
    values = _answered(answers, NPSI_INTENSITY_ITEMS)
    scores: Scores = {
        "total": sum(values) if len(values) == len(NPSI_INTENSITY_ITEMS) else None,
    }
    for name, items in NPSI_SUBSCORES.items():
        scores[name] = _mean_of_all(answers, items)
    return scores


def pgic(answers: Answers) -> Scores:
    """PGIC: the seven-point answer itself, 1 very much improved … 7 very much worse.

    Guy W, ECDEU Assessment Manual for Psychopharmacology (1976), CGI-I; as a patient
    rating: Farrar JT et al., Pain 2001;94:149-58.
    """
    change = answers.get("change")
    return {"pgic": change if isinstance(change, int) else None}


SCORERS: dict[str, Callable[[Answers], Scores]] = {
    "peg": peg,
    "bpi_sf": bpi_sf,
    "npsi": npsi,
    "pgic": pgic,
}


def score(instrument: str, answers: Answers) -> Scores:
    """Score one questionnaire's answers by its instrument's published rule."""
    return SCORERS[instrument](answers)
