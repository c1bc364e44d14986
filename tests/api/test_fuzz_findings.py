"""What the schemathesis fuzzing found, pinned down so that it stays fixed."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient


@pytest.mark.parametrize("trend", ["daily", "regions", "qualities", "summary"])
def test_a_trend_ending_at_the_start_of_the_calendar_is_refused_not_a_500(
    patient_api: ApiClient, trend: str
) -> None:
    # The default start (30 days before `to`) used to fall off the calendar: OverflowError.
    response = patient_api.get(f"/api/v1/patients/me/trends/{trend}?to=0001-01-01")

    assert response.status_code == 422
    assert response.get_json()["errors"] == {"to": ["Give a date between 1900 and 2199."]}


def test_a_default_range_over_ten_years_names_from(patient_api: ApiClient) -> None:
    # Checked in the view (the default `to` is today): the error used to say "_schema".
    response = patient_api.get("/api/v1/patients/me/trends/daily?from=2000-01-01")

    assert response.status_code == 422
    assert response.get_json()["errors"] == {"from": ["Ask for at most ten years at a time."]}


def test_an_entry_list_from_year_one_is_refused(patient_api: ApiClient) -> None:
    response = patient_api.get("/api/v1/patients/me/entries?from=0001-01-01")

    assert response.status_code == 422
    assert "from" in response.get_json()["errors"]


def test_a_skipped_interference_item_comes_back_as_null(patient_api: ApiClient) -> None:
    # The OpenAPI document said every item was an integer; the answer carried null.
    made = patient_api.post(
        "/api/v1/patients/me/entries",
        json={"intensity": 4, "interference": {"general_activity": None, "mood": 3}},
    )
    spec = patient_api.get("/api/v1/openapi.json").get_json()
    items = spec["components"]["schemas"]["Entry"]["properties"]["interference"]

    assert made.status_code == 201
    assert made.get_json()["interference"]["general_activity"] is None
    assert items["additionalProperties"]["type"] == ["integer", "null"]
