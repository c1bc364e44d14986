"""Whatever JSON a client sends to the entries API, the answer is never a server error."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from tests import strategies
from tests.conftest import ApiClient
from tests.strategies import send

ENTRIES = "/api/v1/patients/me/entries"
FIELDS = [
    "id",
    "recorded_at",
    "intensity",
    "worst_24h",
    "least_24h",
    "average_24h",
    "locations",
    "qualities",
    "interference",
    "sleep_quality",
    "mood",
    "triggers",
    "note",
    "medications_taken",
    "checkin",
]

json_values = strategies.json_values(
    strategies.scalars(
        [
            "front_shoulder_right",
            "burning",
            "2026-03-29T08:30:00+02:00",
            "00000000-0000-0000-0000-000000000000",
        ]
    ),
    ["region", "intensity", "qualities", "walking", "nausea", "urinary", "x"],
    list_size=4,
    object_size=4,
    max_leaves=12,
)
bodies = strategies.bodies([*FIELDS, "unknown"], json_values, max_size=8)
SETTINGS = strategies.fuzz_settings(150)


@SETTINGS
@given(body=bodies)
def test_create_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", ENTRIES, body) in (200, 201, 400, 409, 422)


@SETTINGS
@given(body=bodies)
def test_patch_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    entry = patient_api.post(ENTRIES, json={"intensity": 5}).get_json()

    assert send(patient_api, "PATCH", f"{ENTRIES}/{entry['id']}", body) in (200, 400, 422)
