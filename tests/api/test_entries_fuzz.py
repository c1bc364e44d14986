"""Whatever JSON a client sends to the entries API, the answer is never a server error."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ApiClient

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

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "front_shoulder_right",
            "burning",
            "2026-03-29T08:30:00+02:00",
            "00000000-0000-0000-0000-000000000000",
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["region", "intensity", "qualities", "walking", "nausea", "urinary", "x"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
bodies = (
    st.dictionaries(st.sampled_from([*FIELDS, "unknown"]), json_values, max_size=8) | json_values
)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def send(api: ApiClient, method: str, path: str, body: Any) -> int:
    raw = json.dumps(body, allow_nan=True)
    response = api.request(method, path, data=raw, headers={"Content-Type": "application/json"})
    assert response.mimetype in ("application/json", "application/problem+json")
    return int(response.status_code)


@SETTINGS
@given(body=bodies)
def test_create_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", ENTRIES, body) in (200, 201, 400, 409, 422)


@SETTINGS
@given(body=bodies)
def test_patch_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    entry = patient_api.post(ENTRIES, json={"intensity": 5}).get_json()

    assert send(patient_api, "PATCH", f"{ENTRIES}/{entry['id']}", body) in (200, 400, 422)
