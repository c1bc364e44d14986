"""Questionnaire scores, worked by hand from each instrument's published rule."""

from __future__ import annotations

import pytest

from diary.models.questionnaires import INSTRUMENTS
from diary.services import scoring

BPI_FULL = {
    "worst": 8,
    "least": 3,
    "average": 5,
    "now": 6,
    "general_activity": 7,
    "mood": 5,
    "walking": 6,
    "work": 4,
    "relations": 3,
    "sleep": 8,
    "enjoyment": 6,
}
NPSI_FULL = {
    "q1": 8,
    "q2": 6,
    "q3": 4,
    "q4": "8_12h",
    "q5": 9,
    "q6": 7,
    "q7": "6_10",
    "q8": 5,
    "q9": 3,
    "q10": 7,
    "q11": 6,
    "q12": 4,
}


def test_peg_is_the_mean_of_its_three_items() -> None:
    # (7 + 6 + 8) / 3 = 7
    assert scoring.peg({"pain": 7, "enjoyment": 6, "general_activity": 8}) == {"peg": 7.0}


def test_peg_rounds_to_two_decimals_and_counts_zero() -> None:
    # (0 + 1 + 1) / 3 = 0.666…
    assert scoring.peg({"pain": 0, "enjoyment": 1, "general_activity": 1}) == {"peg": 0.67}


def test_peg_with_an_item_missing_has_no_score() -> None:
    assert scoring.peg({"pain": 7, "enjoyment": 6, "general_activity": None}) == {"peg": None}


def test_bpi_severity_and_interference_worked_example() -> None:
    scores = scoring.bpi_sf(BPI_FULL)

    # severity (8 + 3 + 5 + 6) / 4 = 5.5; interference (7+5+6+4+3+8+6) / 7 = 39 / 7 = 5.571…
    assert scores == {"severity": 5.5, "interference": 5.57}


def test_bpi_interference_is_scored_from_four_of_seven() -> None:
    answers = {"general_activity": 6, "mood": 4, "walking": 5, "sleep": 7}

    # (6 + 4 + 5 + 7) / 4 = 5.5: the mean of the answered items
    assert scoring.bpi_interference(answers) == 5.5


def test_bpi_interference_with_three_of_seven_has_no_score() -> None:
    answers = {"general_activity": 6, "mood": 4, "walking": 5, "sleep": None}

    assert scoring.bpi_interference(answers) is None


def test_bpi_interference_counts_a_zero_as_an_answer() -> None:
    answers = {"general_activity": 0, "mood": 0, "walking": 0, "work": 0}

    assert scoring.bpi_interference(answers) == 0.0


def test_bpi_severity_needs_all_four_items() -> None:
    answers = {k: v for k, v in BPI_FULL.items() if k != "least"}

    assert scoring.bpi_sf(answers) == {"severity": None, "interference": 5.57}


def test_npsi_total_and_the_five_subscores_worked_example() -> None:
    scores = scoring.npsi(NPSI_FULL)

    assert scores == {
        "total": 59,  # 8+6+4+9+7+5+3+7+6+4
        "burning": 8.0,  # Q1
        "pressing": 5.0,  # (6 + 4) / 2
        "paroxysmal": 8.0,  # (9 + 7) / 2
        "evoked": 5.0,  # (5 + 3 + 7) / 3
        "paresthesia": 5.0,  # (6 + 4) / 2
    }


def test_npsi_extremes_are_0_and_100() -> None:
    zeros = {item: 0 for item in scoring.NPSI_INTENSITY_ITEMS}
    tens = {item: 10 for item in scoring.NPSI_INTENSITY_ITEMS}

    assert scoring.npsi(zeros)["total"] == 0
    assert scoring.npsi(tens)["total"] == 100


def test_npsi_timing_items_do_not_change_the_scores() -> None:
    other_timing = {**NPSI_FULL, "q4": "lt_1h", "q7": "none"}

    assert scoring.npsi(other_timing) == scoring.npsi(NPSI_FULL)


def test_npsi_missing_item_drops_the_total_and_its_subscore_only() -> None:
    answers = {k: v for k, v in NPSI_FULL.items() if k != "q9"}

    scores = scoring.npsi(answers)

    assert scores["total"] is None
    assert scores["evoked"] is None
    assert scores["burning"] == 8.0
    assert scores["paresthesia"] == 5.0


@pytest.mark.parametrize("change", [1, 4, 7])
def test_pgic_score_is_the_answer(change: int) -> None:
    assert scoring.pgic({"change": change}) == {"pgic": change}


def test_score_dispatches_by_instrument() -> None:
    assert scoring.score("bpi_sf", BPI_FULL)["severity"] == 5.5
    assert tuple(scoring.SCORERS) == INSTRUMENTS == ("peg", "bpi_sf", "npsi", "pgic")
