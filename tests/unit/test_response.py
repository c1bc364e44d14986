"""Treatment response and relief, worked by hand on small diaries."""

from __future__ import annotations

from datetime import date, timedelta

from diary.services.response import (
    Response,
    classify,
    relief_duration,
    summarise_series,
    treatment_response,
)

DAY0 = date(2026, 3, 2)


def diary(*runs: tuple[int, float], start: int = -7) -> list[tuple[date, float]]:
    """Daily means from DAY0 + start on: runs of (number of days, mean)."""
    means = []
    offset = start
    for days, value in runs:
        for _ in range(days):
            if offset != 0:  # the treatment's own day is not logged here
                means.append((DAY0 + timedelta(days=offset), value))
            offset += 1
    return means


def test_hand_computed_diary_baseline_6_then_three_weeks_at_2_then_7() -> None:
    # days -7…-1 at 6, day 0 the infusion, days 1…21 at 2, then days 22… at 7
    means = diary((7, 6.0), (1, 0.0), (21, 2.0), (14, 7.0))

    response = treatment_response(means, DAY0)

    assert response.baseline == 6.0
    assert response.after == 2.0
    assert response.change_pct == -66.7
    assert response.responder == "substantial"
    # 70 % of 6 is 4.2. Rolling means: day 24 (4x2 + 3x7) / 7 = 4.14, day 25 (3x2 + 4x7) / 7
    # = 4.86: relief ends on day 25, in the fourth week.
    assert response.relief_days == 25
    assert 22 <= response.relief_days <= 28
    assert response.relief_status == "ended"
    assert response.relief_ended_on == DAY0 + timedelta(days=25)
    assert response.insufficient_data == ()


def test_the_treatment_day_itself_counts_in_neither_window() -> None:
    means = [*diary((7, 6.0), (1, 0.0), (7, 3.0)), (DAY0, 10.0)]

    response = treatment_response(means, DAY0)

    assert (response.baseline, response.after) == (6.0, 3.0)


def test_relief_is_null_while_it_continues() -> None:
    means = diary((7, 6.0), (1, 0.0), (20, 2.0))

    response = treatment_response(means, DAY0)

    assert response.relief_days is None
    assert response.relief_status == "continuing"


def test_no_response_has_no_relief_to_lose() -> None:
    means = diary((7, 6.0), (1, 0.0), (7, 5.0), (7, 7.0))

    response = treatment_response(means, DAY0)

    assert response.change_pct == -16.7
    assert response.responder == "none"
    assert response.relief_days is None
    assert response.relief_status == "no_response"


def test_pain_that_rose_is_no_response() -> None:
    response = treatment_response(diary((7, 4.0), (1, 0.0), (7, 6.0)), DAY0)

    assert response.change_pct == 50.0
    assert response.responder == "none"


def test_immpact_thresholds_are_inclusive() -> None:
    assert classify(10.0, 7.0) == "moderate"  # exactly 30 %
    assert classify(10.0, 7.1) == "none"
    assert classify(6.0, 3.0) == "substantial"  # exactly 50 %
    assert classify(6.0, 3.1) == "moderate"


def test_moderate_responder_worked_example() -> None:
    means = diary((7, 5.0), (1, 0.0), (7, 3.0))

    response = treatment_response(means, DAY0)

    assert (response.change_pct, response.responder) == (-40.0, "moderate")


def test_three_days_in_the_baseline_week_is_not_enough() -> None:
    means = [(DAY0 - timedelta(days=d), 6.0) for d in (1, 3, 5)] + diary((7, 2.0), start=1)

    response = treatment_response(means, DAY0)

    assert response.baseline is None
    assert response.after == 2.0
    assert response.change_pct is None
    assert response.responder is None
    assert response.relief_days is None
    assert response.insufficient_data == ("baseline",)
    assert response.relief_status == "insufficient_data"
    assert response.baseline_days == 3


def test_four_days_in_each_window_is_enough() -> None:
    before = [(DAY0 - timedelta(days=d), 6.0) for d in (1, 2, 6, 7)]
    after = [(DAY0 + timedelta(days=d), 3.0) for d in (1, 4, 5, 7)]

    response = treatment_response(before + after, DAY0)

    assert (response.baseline, response.after, response.responder) == (6.0, 3.0, "substantial")


def test_nothing_logged_after_says_so() -> None:
    response = treatment_response(diary((7, 6.0)), DAY0)

    assert response.after is None
    assert response.insufficient_data == ("after",)


def test_days_before_the_treatment_never_count_in_the_rolling_mean() -> None:
    # Day 1 alone at 4.0 is under 4.2; with the baseline days mixed in it would be above.
    means = diary((7, 6.0), (1, 0.0), (1, 4.0), (6, 1.0))

    assert relief_duration(dict(means), DAY0, 6.0) == (None, "continuing")


def test_relief_ends_only_after_it_began() -> None:
    # Day 1 is still above the line; relief starts on day 2 and then lasts.
    means = dict(diary((7, 6.0), (1, 0.0), (1, 5.0), (10, 1.0)))

    assert relief_duration(means, DAY0, 6.0) == (None, "continuing")


def test_a_gap_in_the_diary_is_skipped_not_guessed() -> None:
    means = dict(diary((7, 6.0), (1, 0.0), (7, 2.0)))
    means[DAY0 + timedelta(days=20)] = 9.0  # twelve days unlogged, then pain is back

    assert relief_duration(means, DAY0, 6.0) == (20, "ended")


def test_the_next_treatment_cuts_the_relief_scan() -> None:
    means = diary((7, 6.0), (1, 0.0), (21, 2.0), (14, 7.0))

    response = treatment_response(means, DAY0, next_treatment=DAY0 + timedelta(days=20))

    assert response.relief_days is None
    assert response.relief_status == "next_treatment"


def test_zero_baseline_gives_no_percentage() -> None:
    response = treatment_response(diary((7, 0.0), (1, 0.0), (7, 0.0)), DAY0)

    assert response.baseline == 0.0
    assert response.change_pct is None
    assert response.relief_status == "no_baseline_pain"


def _ended(on: date, days: int) -> Response:
    return Response(on, 6.0, 2.0, -66.7, "substantial", days, "ended", 7, 7, ())


def test_series_median_relief_and_booster_window() -> None:
    responses = [
        _ended(date(2026, 1, 5), 21),
        _ended(date(2026, 2, 9), 28),
        _ended(date(2026, 3, 16), 24),
    ]

    summary = summarise_series(responses)

    assert summary.median_relief_days == 24
    # opens at floor(0.75 x 24) = 18, closes the day before relief usually ends: 23
    assert (summary.booster_from_day, summary.booster_to_day) == (18, 23)
    assert summary.booster_from == date(2026, 4, 3)
    assert summary.booster_to == date(2026, 4, 8)
    assert (summary.treatments, summary.measured) == (3, 3)


def test_series_median_of_an_even_count() -> None:
    summary = summarise_series([_ended(DAY0, 20), _ended(DAY0, 25)])

    assert summary.median_relief_days == 22.5
    assert (summary.booster_from_day, summary.booster_to_day) == (16, 22)


def test_series_with_one_measured_relief_is_not_yet_a_pattern() -> None:
    continuing = Response(DAY0, 6.0, 2.0, -66.7, "substantial", None, "continuing", 7, 7, ())

    summary = summarise_series([_ended(DAY0, 21), continuing])

    assert summary.insufficient_data
    assert summary.median_relief_days is None
    assert summary.booster_from is None
    assert (summary.treatments, summary.measured) == (2, 1)
