"""Whatever JSON a client sends to the reminders and push API, the answer is never a 500."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ApiClient

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "20:00",
            "23:59",
            "24:00",
            "push",
            "email",
            "https://push.example.net/x",
            "http://127.0.0.1:1/x",
            "BAAA",
            "AAAAAAAAAAAAAAAAAAAAAA",
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["p256dh", "auth", "x"]), children, max_size=3)
    ),
    max_leaves=10,
)
REMINDER_FIELDS = ["time", "days", "channels", "enabled", "unknown"]
PUSH_FIELDS = ["endpoint", "keys", "expirationTime", "token", "minutes"]
reminder_bodies = (
    st.dictionaries(st.sampled_from(REMINDER_FIELDS), json_values, max_size=5) | json_values
)
push_bodies = st.dictionaries(st.sampled_from(PUSH_FIELDS), json_values, max_size=4) | json_values

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def send(api: ApiClient, method: str, path: str, body: Any) -> int:
    raw = json.dumps(body, allow_nan=True)
    response = api.request(method, path, data=raw, headers={"Content-Type": "application/json"})
    assert response.mimetype in ("application/json", "application/problem+json")
    return int(response.status_code)


@SETTINGS
@given(body=reminder_bodies)
def test_adding_a_reminder_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", "/api/v1/reminders", body) in (201, 400, 422)


@SETTINGS
@given(body=reminder_bodies)
def test_changing_a_reminder_never_answers_a_server_error(
    patient_api: ApiClient, body: Any
) -> None:
    reminder = patient_api.post("/api/v1/reminders", json={"time": "20:00"}).get_json()
    path = f"/api/v1/reminders/{reminder['id']}"

    assert send(patient_api, "PATCH", path, body) in (200, 400, 422)
    patient_api.delete(path)


@SETTINGS
@given(body=push_bodies)
def test_subscriptions_never_answer_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", "/api/v1/push/subscriptions", body) in (200, 201, 400, 422)
    assert send(patient_api, "DELETE", "/api/v1/push/subscriptions", body) in (204, 400, 404, 422)


@SETTINGS
@given(body=push_bodies)
def test_snooze_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", "/api/v1/reminders/snooze", body) in (200, 400, 404, 422)
