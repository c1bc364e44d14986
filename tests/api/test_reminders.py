"""The reminders and push API: schedules, subscriptions, the VAPID key, test and snooze."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from py_vapid import Vapid
from sqlalchemy import select

from diary.extensions import db
from diary.models import PushSubscription
from diary.reminders.vapid import public_key_of
from tests.conftest import TEST_VAPID_PRIVATE_KEY, ApiClient
from tests.factories import make_user
from tests.pushservice import BrowserKeys, push_service

REMINDERS = "/api/v1/reminders"
SUBSCRIPTIONS = "/api/v1/push/subscriptions"


def subscription_body(endpoint: str, keys: BrowserKeys | None = None) -> dict[str, Any]:
    keys = keys or BrowserKeys()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
    }


def test_add_a_reminder(patient_api: ApiClient) -> None:
    before = datetime.now(UTC)
    response = patient_api.post(REMINDERS, json={"time": "20:00", "days": [0, 2, 4]})

    assert response.status_code == 201
    reminder = response.get_json()
    assert reminder["time"] == "20:00"
    assert reminder["days"] == [0, 2, 4]
    assert reminder["channels"] == ["push"]
    assert reminder["enabled"] is True
    assert response.headers["Location"] == f"{REMINDERS}/{reminder['id']}"
    fire = datetime.fromisoformat(reminder["next_fire_at"])
    assert fire > before
    assert fire.astimezone(ZoneBerlin).strftime("%H:%M") == "20:00"  # the patient's zone
    assert fire.astimezone(ZoneBerlin).weekday() in (0, 2, 4)


ZoneBerlin = __import__("zoneinfo").ZoneInfo("Europe/Berlin")


def test_list_change_pause_and_remove(patient_api: ApiClient) -> None:
    reminder = patient_api.post(REMINDERS, json={"time": "08:30"}).get_json()
    path = f"{REMINDERS}/{reminder['id']}"

    assert [r["id"] for r in patient_api.get(REMINDERS).get_json()["items"]] == [reminder["id"]]
    changed = patient_api.patch(path, json={"time": "09:15", "channels": ["push", "email"]})
    assert changed.status_code == 200
    assert changed.get_json()["time"] == "09:15"
    assert changed.get_json()["channels"] == ["push", "email"]

    paused = patient_api.patch(path, json={"enabled": False}).get_json()
    assert (paused["enabled"], paused["next_fire_at"]) == (False, None)
    resumed = patient_api.patch(path, json={"enabled": True}).get_json()
    assert resumed["next_fire_at"] is not None

    assert patient_api.delete(path).status_code == 204
    assert patient_api.get(path).status_code == 404


def test_someone_elses_reminder_is_not_found(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_user(db.session, email="other@example.org")
        db.session.commit()
    other = ApiClient(app.test_client())
    other.login("other@example.org")
    reminder = other.post(REMINDERS, json={"time": "07:00"}).get_json()
    path = f"{REMINDERS}/{reminder['id']}"

    assert patient_api.get(path).status_code == 404
    assert patient_api.patch(path, json={"enabled": False}).status_code == 404
    assert patient_api.delete(path).status_code == 404
    assert patient_api.get(REMINDERS).get_json()["items"] == []
    assert other.get(path).get_json()["enabled"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time": "25:00"}, "time"),
        ({"time": "8:00"}, "time"),
        ({"time": 800}, "time"),
        ({"time": "20:00", "days": []}, "days"),
        ({"time": "20:00", "days": [7]}, "days"),
        ({"time": "20:00", "days": [True]}, "days"),
        ({"time": "20:00", "days": [1, 1]}, "days"),
        ({"time": "20:00", "days": [1.0]}, "days"),
        ({"time": "20:00", "channels": ["sms"]}, "channels"),
        ({"time": "20:00", "channels": []}, "channels"),
        ({"time": "20:00", "enabled": "yes"}, "enabled"),
        ({"time": "20:00", "enabled": 1}, "enabled"),
        ({"days": [1]}, "time"),
    ],
)
def test_invalid_reminders_are_422(
    patient_api: ApiClient, body: dict[str, Any], field: str
) -> None:
    response = patient_api.post(REMINDERS, json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_an_empty_change_is_422(patient_api: ApiClient) -> None:
    reminder = patient_api.post(REMINDERS, json={"time": "08:30"}).get_json()

    assert patient_api.patch(f"{REMINDERS}/{reminder['id']}", json={}).status_code == 422


def test_twenty_reminders_at_most(patient_api: ApiClient) -> None:
    for minute in range(20):
        assert patient_api.post(REMINDERS, json={"time": f"10:{minute:02d}"}).status_code == 201

    response = patient_api.post(REMINDERS, json={"time": "11:00"})

    assert response.status_code == 422
    assert "_schema" in response.get_json()["errors"]


def test_reminders_need_a_sign_in_and_the_csrf_header(client: Any, patient_api: ApiClient) -> None:
    assert client.get(REMINDERS).status_code == 401
    bare = patient_api.client.post(REMINDERS, json={"time": "20:00"})
    assert bare.status_code == 403


def test_the_vapid_public_key(client: Any) -> None:
    response = client.get("/api/v1/push/vapid-public-key")

    assert response.status_code == 200
    assert response.get_json() == {"key": public_key_of(Vapid.from_string(TEST_VAPID_PRIVATE_KEY))}


def test_subscribe_this_browser_again_and_unsubscribe(app: Flask, patient_api: ApiClient) -> None:
    body = subscription_body("https://push.example.net/send/abc")

    assert patient_api.post(SUBSCRIPTIONS, json=body).status_code == 201
    renewed = subscription_body("https://push.example.net/send/abc")
    assert patient_api.post(SUBSCRIPTIONS, json=renewed).status_code == 200
    with app.app_context():
        [row] = db.session.scalars(select(PushSubscription)).all()
        assert row.p256dh == renewed["keys"]["p256dh"]

    assert patient_api.delete(SUBSCRIPTIONS, json=body).status_code == 204
    assert patient_api.delete(SUBSCRIPTIONS, json=body).status_code == 404


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "short", "auth": BrowserKeys().auth},
        {"p256dh": BrowserKeys().p256dh, "auth": "AAAA"},
        {"p256dh": "!!!not base64!!!", "auth": BrowserKeys().auth},
        {},
    ],
)
def test_a_subscription_with_bad_keys_is_422(patient_api: ApiClient, keys: dict[str, str]) -> None:
    body = {"endpoint": "https://push.example.net/x", "keys": keys}

    assert patient_api.post(SUBSCRIPTIONS, json=body).status_code == 422


def test_production_accepts_only_https_push_services(make_app: Any, patient: Any) -> None:
    app = make_app(PUSH_ALLOW_HTTP=False)
    api = ApiClient(app.test_client())
    api.login(patient["email"])

    response = api.post(SUBSCRIPTIONS, json=subscription_body("http://10.0.0.1/internal"))

    assert response.status_code == 422
    assert "endpoint" in response.get_json()["errors"]


def test_send_a_test_notification(patient_api: ApiClient) -> None:
    with push_service() as service:
        keys = BrowserKeys()
        patient_api.post(SUBSCRIPTIONS, json=subscription_body(service.endpoint("me"), keys))

        response = patient_api.post("/api/v1/reminders/test")

        assert response.status_code == 200
        assert response.get_json() == {"push_sent": 1, "push_removed": 0, "email": "not used"}
        payload = json.loads(keys.decrypt(service.received[0].body))
        assert payload["body"] == "This is a test. Your reminders will look like this."


def test_snooze_from_the_notification(app: Flask, patient_api: ApiClient, client: Any) -> None:
    from diary.reminders.messages import snooze_token

    reminder = patient_api.post(REMINDERS, json={"time": "20:00"}).get_json()
    token = snooze_token(app.config["SECRET_KEY"], uuid.UUID(reminder["id"]))
    before = datetime.now(UTC)

    # No cookie and no CSRF header: the service worker sends only the token.
    response = client.post("/api/v1/reminders/snooze", json={"token": token, "minutes": 10})

    assert response.status_code == 200
    fire = datetime.fromisoformat(response.get_json()["next_fire_at"])
    assert before + timedelta(minutes=10) - timedelta(seconds=1) <= fire
    assert fire <= datetime.now(UTC) + timedelta(minutes=10)


@pytest.mark.parametrize("token", ["forged", "a.b.c", ""])
def test_a_bad_snooze_token_is_not_found(client: Any, token: str) -> None:
    response = client.post("/api/v1/reminders/snooze", json={"token": token})

    assert response.status_code in (404, 422)
