"""Trends on hand-built diaries: local days far from UTC, empty days, rolling means, ETags."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from diary.extensions import db
from tests.conftest import ApiClient
from tests.factories import make_user

TRENDS = "/api/v1/patients/me/trends"


@pytest.fixture
def kiritimati(app: Flask) -> ApiClient:
    """A patient in Pacific/Kiritimati (UTC+14), as far from UTC as a zone gets."""
    with app.app_context():
        make_user(db.session, email="kiri@example.org", timezone="Pacific/Kiritimati")
        db.session.commit()
    api = ApiClient(app.test_client())
    api.login("kiri@example.org")
    return api


def log(api: ApiClient, recorded_at: str, intensity: int, **fields: Any) -> dict[str, Any]:
    response = api.post(
        "/api/v1/patients/me/entries",
        json={"recorded_at": recorded_at, "intensity": intensity, **fields},
    )
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def test_days_are_the_patients_local_days(kiritimati: ApiClient) -> None:
    # 09:30 UTC on the 1st is 23:30 on the 1st in Kiritimati; 10:30 UTC is 00:30 on the 2nd.
    log(kiritimati, "2026-01-01T09:30:00Z", 2)
    log(kiritimati, "2026-01-01T10:30:00Z", 8)
    log(kiritimati, "2026-01-01T11:30:00Z", 6)

    daily = kiritimati.get(f"{TRENDS}/daily?from=2026-01-01&to=2026-01-03").get_json()

    assert daily["days"] == [
        {"date": "2026-01-01", "mean": 2.0, "min": 2, "max": 2, "count": 1},
        {"date": "2026-01-02", "mean": 7.0, "min": 6, "max": 8, "count": 2},
        {"date": "2026-01-03", "mean": None, "min": None, "max": None, "count": 0},
    ]
    assert daily["days_logged"] == 2
    assert daily["days_in_range"] == 3


def test_rolling_mean_needs_four_logged_days_in_the_window(patient_api: ApiClient) -> None:
    # Daily means 1, 2, 3 (Jan 1-3), nothing on the 4th, then 5 and 6 (Jan 5-6).
    for day, score in ((1, 1), (2, 2), (3, 3), (5, 5), (6, 6)):
        log(patient_api, f"2026-01-0{day}T12:00:00Z", score)
    log(patient_api, "2026-01-06T18:00:00Z", 8)  # Jan 6: mean of 6 and 8 = 7

    daily = patient_api.get(f"{TRENDS}/daily?from=2026-01-01&to=2026-01-08").get_json()
    rolling = {p["date"]: p["value"] for p in daily["rolling_mean_7d"]}

    assert rolling["2026-01-03"] is None  # three logged days so far
    assert rolling["2026-01-04"] is None
    assert rolling["2026-01-05"] == pytest.approx((1 + 2 + 3 + 5) / 4)
    assert rolling["2026-01-06"] == pytest.approx((1 + 2 + 3 + 5 + 7) / 5)
    assert rolling["2026-01-08"] == pytest.approx((2 + 3 + 5 + 7) / 4)  # Jan 1 left the window
    assert daily["days_logged"] == 5
    assert daily["days_in_range"] == 8


def test_rolling_mean_looks_back_before_the_range(patient_api: ApiClient) -> None:
    for day in range(1, 8):
        log(patient_api, f"2026-01-0{day}T12:00:00Z", day)

    daily = patient_api.get(f"{TRENDS}/daily?from=2026-01-07&to=2026-01-07").get_json()

    assert daily["rolling_mean_7d"] == [{"date": "2026-01-07", "value": 4.0}]


def test_deleted_entries_do_not_count(patient_api: ApiClient) -> None:
    log(patient_api, "2026-01-01T12:00:00Z", 2)
    gone = log(patient_api, "2026-01-01T13:00:00Z", 10)
    patient_api.delete(f"/api/v1/patients/me/entries/{gone['id']}")

    daily = patient_api.get(f"{TRENDS}/daily?from=2026-01-01&to=2026-01-01").get_json()

    assert daily["days"][0]["mean"] == 2.0


def test_regions_count_and_mean(patient_api: ApiClient) -> None:
    log(
        patient_api,
        "2026-01-01T12:00:00Z",
        6,
        locations=[{"region": "front_hand_right", "intensity": 8}],
    )
    log(
        patient_api,
        "2026-01-02T12:00:00Z",
        4,
        locations=[{"region": "front_hand_right"}, {"region": "back_calf_left", "intensity": 2}],
    )

    regions = patient_api.get(f"{TRENDS}/regions?from=2026-01-01&to=2026-01-31").get_json()

    assert regions["regions"] == [
        {
            "region": "front_hand_right",
            "label": "Right palm and fingers",
            "count": 2,
            "mean_intensity": 6.0,
        },
        {"region": "back_calf_left", "label": "Left calf", "count": 1, "mean_intensity": 2.0},
    ]


def test_qualities_in_all_and_by_week(patient_api: ApiClient) -> None:
    log(patient_api, "2026-01-05T12:00:00Z", 5, qualities=["burning", "tingling"])  # a Monday
    log(patient_api, "2026-01-11T12:00:00Z", 5, qualities=["burning"])  # the Sunday after
    log(patient_api, "2026-01-12T12:00:00Z", 5, qualities=["burning"])  # the next Monday

    body = patient_api.get(f"{TRENDS}/qualities?from=2026-01-01&to=2026-01-31").get_json()

    assert body["qualities"] == [
        {"quality": "burning", "label": "Burning", "count": 3},
        {"quality": "tingling", "label": "Tingling", "count": 1},
    ]
    assert body["weeks"] == [
        {"week_start": "2026-01-05", "counts": {"burning": 2, "tingling": 1}},
        {"week_start": "2026-01-12", "counts": {"burning": 1}},
    ]


def test_summary_compares_with_the_period_before(patient_api: ApiClient) -> None:
    for day in range(1, 8):
        log(patient_api, f"2026-01-0{day}T12:00:00Z", 6)
    for day in range(8, 15):
        log(patient_api, f"2026-01-{day:02d}T12:00:00Z", 4)

    body = patient_api.get(f"{TRENDS}/summary?from=2026-01-08&to=2026-01-14").get_json()

    assert body["current"]["mean"] == 4.0
    assert body["previous"]["mean"] == 6.0
    assert body["change"] == -2.0
    assert body["sentence"] == (
        "Your average pain over this week was 4.0, down 2.0 from the week before. "
        "You logged on 7 of 7 days."
    )


def test_empty_range_says_so(patient_api: ApiClient) -> None:
    body = patient_api.get(f"{TRENDS}/summary?from=2026-01-01&to=2026-01-14").get_json()
    daily = patient_api.get(f"{TRENDS}/daily?from=2026-01-01&to=2026-01-14").get_json()

    assert body["current"]["mean"] is None
    assert body["sentence"] == "Nothing was logged in these 14 days."
    assert daily["days_logged"] == 0
    assert all(p["value"] is None for p in daily["rolling_mean_7d"])


def test_default_range_is_the_last_30_local_days(patient_api: ApiClient) -> None:
    daily = patient_api.get(f"{TRENDS}/daily").get_json()

    assert daily["days_in_range"] == 30
    last = date.fromisoformat(daily["days"][-1]["date"])
    assert last == datetime.now(ZoneInfo("Europe/Berlin")).date()  # the patient's today


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-02-01&to=2026-01-01",
        "from=2010-01-01&to=2026-01-01",
        "from=2026-13-01",
        "to=soon",
        "from=1990-01-01",
    ],
)
@pytest.mark.parametrize("kind", ["daily", "regions", "qualities", "summary"])
def test_bad_ranges_are_422(patient_api: ApiClient, kind: str, query: str) -> None:
    response = patient_api.get(f"{TRENDS}/{kind}?{query}")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_ten_years_is_allowed(patient_api: ApiClient) -> None:
    start = date(2016, 1, 2)
    end = start + timedelta(days=3652)
    response = patient_api.get(f"{TRENDS}/daily?from={start}&to={end}")

    assert response.status_code == 200
    assert response.get_json()["days_in_range"] == 3653


def test_etag_gives_304_until_the_data_change(patient_api: ApiClient) -> None:
    log(patient_api, "2026-01-01T12:00:00Z", 5)
    url = f"{TRENDS}/daily?from=2026-01-01&to=2026-01-07"
    first = patient_api.get(url)
    etag = first.headers["ETag"]

    again = patient_api.get(url, headers={"If-None-Match": etag})
    log(patient_api, "2026-01-02T12:00:00Z", 7)
    changed = patient_api.get(url, headers={"If-None-Match": etag})

    assert first.headers["Cache-Control"] == "no-store"
    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_someone_elses_trends_are_404(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        other = str(make_user(db.session, email="other@example.org").id)
        db.session.commit()

    for kind in ("daily", "regions", "qualities", "summary"):
        assert patient_api.get(f"/api/v1/patients/{other}/trends/{kind}").status_code == 404


def test_trends_need_sign_in(api: ApiClient) -> None:
    assert api.get(f"{TRENDS}/daily").status_code == 401


def test_the_fast_daily_dump_matches_the_schema(app: Flask, patient_api: ApiClient) -> None:
    from diary.schemas.trends import DailyTrendSchema, dump_daily_trend
    from diary.services.trends import daily_trend

    for day, score in ((1, 1), (2, 2), (3, 3), (5, 5), (6, 6)):
        log(patient_api, f"2026-01-0{day}T12:00:00Z", score)
    with app.app_context():
        from diary.models import User

        user = db.session.scalars(db.select(User)).one()
        trend = daily_trend(db.session, user, date(2026, 1, 1), date(2026, 1, 10))

    assert dump_daily_trend(trend) == DailyTrendSchema().dump(trend)
