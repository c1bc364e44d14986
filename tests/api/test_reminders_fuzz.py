"""Whatever JSON a client sends to the reminders and push API, the answer is never a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from tests import strategies
from tests.conftest import ApiClient
from tests.strategies import send

json_values = strategies.json_values(
    strategies.scalars(
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
    ),
    ["p256dh", "auth", "x"],
    list_size=4,
    object_size=3,
    max_leaves=10,
)
REMINDER_FIELDS = ["time", "days", "channels", "enabled", "unknown"]
PUSH_FIELDS = ["endpoint", "keys", "expirationTime", "token", "minutes"]
reminder_bodies = strategies.bodies(REMINDER_FIELDS, json_values, max_size=5)
push_bodies = strategies.bodies(PUSH_FIELDS, json_values, max_size=4)
SETTINGS = strategies.fuzz_settings(60)


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
