"""The sweep pushes what is due once, records it, moves the schedule on, and obeys the rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from py_vapid import Vapid
from sqlalchemy import select

from diary.extensions import db
from diary.models import PainEntry, PushSubscription, ReminderDelivery, ReminderSchedule
from diary.reminders.scheduler import run_sweep
from diary.reminders.vapid import public_key_of
from diary.services import entries as entries_service
from diary.services import reminders as reminders_service
from tests.conftest import TEST_VAPID_PRIVATE_KEY
from tests.factories import make_reminder, make_subscription, make_user
from tests.pushservice import BrowserKeys, PushService, push_service

# 20:00 in Berlin; the reminder was set up an hour before.
NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
SET_UP = NOW - timedelta(hours=1)


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as service:
        yield service


def setup_patient(app: Flask, service: PushService, **reminder: Any) -> dict[str, Any]:
    """A Berlin patient with one browser subscribed and a daily 20:00 reminder."""
    keys = BrowserKeys()
    with app.app_context():
        user = make_user(db.session, email="pat@example.org")
        make_subscription(db.session, user, service.endpoint("pat"), keys, SET_UP)
        schedule = make_reminder(db.session, user, SET_UP, **reminder)
        db.session.commit()
        return {"user_id": user.id, "schedule_id": schedule.id, "keys": keys}


def deliveries(app: Flask) -> list[ReminderDelivery]:
    with app.app_context():
        return list(db.session.scalars(select(ReminderDelivery).order_by(ReminderDelivery.due_at)))


def schedule_of(app: Flask, schedule_id: Any) -> ReminderSchedule:
    with app.app_context():
        schedule = db.session.get(ReminderSchedule, schedule_id)
        assert schedule is not None
        db.session.expunge(schedule)
        return schedule


def log_entry(app: Flask, user_id: Any, at: datetime) -> None:
    with app.app_context():
        user = db.session.get(entries_service.User, user_id)
        entries_service.create_entry(db.session, user, user, {"intensity": 4}, at)
        db.session.commit()


def test_a_due_reminder_is_pushed_recorded_and_moved_to_tomorrow(
    app: Flask, service: PushService
) -> None:
    patient = setup_patient(app, service)

    report = run_sweep(app, NOW)

    assert report.sent == 1
    [push] = service.received
    assert push.path == "/push/pat"
    assert push.headers["content-encoding"] == "aes128gcm"
    vapid_key = public_key_of(Vapid.from_string(TEST_VAPID_PRIVATE_KEY))
    assert push.headers["authorization"].startswith("vapid t=")
    assert push.headers["authorization"].endswith(f"k={vapid_key}")
    payload = json.loads(patient["keys"].decrypt(push.body))
    assert payload["title"] == "Pain Diary"
    assert payload["url"] == "/entries/new"
    [delivery] = deliveries(app)
    assert (delivery.status, delivery.kind, delivery.due_at) == ("sent", "reminder", NOW)
    assert delivery.channels_sent == ["push"]
    schedule = schedule_of(app, patient["schedule_id"])
    assert schedule.next_fire_at == NOW + timedelta(days=1)
    assert schedule.last_due_at == NOW


def test_the_payload_carries_nothing_clinical(app: Flask, service: PushService) -> None:
    patient = setup_patient(app, service)
    with app.app_context():
        user = db.session.get(entries_service.User, patient["user_id"])
        entries_service.create_entry(
            db.session,
            user,
            user,
            {"intensity": 9, "note": "ketamine tomorrow"},
            SET_UP - timedelta(days=1),
        )
        db.session.commit()

    run_sweep(app, NOW)

    payload = patient["keys"].decrypt(service.received[0].body).decode()
    assert set(json.loads(payload)) == {"title", "body", "url", "tag", "actions", "snooze"}
    assert "ketamine" not in payload and "9" not in json.loads(payload)["body"]


def test_a_second_sweep_sends_nothing_more(app: Flask, service: PushService) -> None:
    setup_patient(app, service)

    run_sweep(app, NOW)
    again = run_sweep(app, NOW + timedelta(seconds=30))

    assert again.sent == 0
    assert len(service.received) == 1
    assert len(deliveries(app)) == 1


def test_the_delivery_key_refuses_a_firing_recorded_before(
    app: Flask, service: PushService
) -> None:
    patient = setup_patient(app, service)
    run_sweep(app, NOW)
    with app.app_context():
        # As if a stale copy of the schedule were claimed again for the same due time.
        db.session.get(ReminderSchedule, patient["schedule_id"]).next_fire_at = NOW
        db.session.commit()

    report = run_sweep(app, NOW + timedelta(seconds=10))

    assert report.duplicates == 1
    assert report.sent == 0
    assert len(service.received) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_removed(app: Flask, service: PushService, status: int) -> None:
    setup_patient(app, service)
    service.answers["/push/pat"] = status

    report = run_sweep(app, NOW)

    assert report.removed_subscriptions == 1
    with app.app_context():
        assert db.session.scalars(select(PushSubscription)).all() == []
    [delivery] = deliveries(app)
    assert delivery.status == "skipped"
    assert delivery.detail == "push: every browser unsubscribed"


def test_a_failing_push_service_is_retried_later(app: Flask, service: PushService) -> None:
    setup_patient(app, service)
    service.answers["/push/pat"] = 503

    first = run_sweep(app, NOW)
    [delivery] = deliveries(app)
    assert first.retrying == 1
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert delivery.next_attempt_at == NOW + timedelta(minutes=1)
    assert delivery.detail == "push: HTTP 503"

    service.answers.clear()
    assert run_sweep(app, NOW + timedelta(seconds=30)).retried == 0
    later = run_sweep(app, NOW + timedelta(minutes=1))

    [delivery] = deliveries(app)
    assert later.retried == 1
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("sent", 2, None)
    assert len(service.received) == 2


def test_a_reminder_missed_beyond_the_grace_is_recorded_not_sent(
    app: Flask, service: PushService
) -> None:
    patient = setup_patient(app, service)

    report = run_sweep(app, NOW + timedelta(hours=2, minutes=1))

    assert (report.missed, report.sent) == (1, 0)
    assert service.received == []
    [delivery] = deliveries(app)
    assert delivery.status == "missed"
    assert schedule_of(app, patient["schedule_id"]).next_fire_at == NOW + timedelta(days=1)


def test_the_grace_is_configurable(make_app: Any, service: PushService) -> None:
    app = make_app(REMINDER_GRACE_MINUTES=30)
    setup_patient(app, service)

    assert run_sweep(app, NOW + timedelta(minutes=29)).sent == 1
    assert run_sweep(app, NOW + timedelta(days=1, minutes=31)).missed == 1


def test_no_reminder_when_the_patient_logged_since_the_last_one(
    app: Flask, service: PushService
) -> None:
    patient = setup_patient(app, service)
    run_sweep(app, NOW)
    log_entry(app, patient["user_id"], NOW + timedelta(hours=15))

    report = run_sweep(app, NOW + timedelta(days=1))

    assert (report.skipped, report.sent) == (1, 0)
    assert len(service.received) == 1
    assert deliveries(app)[-1].detail == "already logged since the last reminder"
    # Nothing logged since that (skipped) one: the next evening reminds again.
    assert run_sweep(app, NOW + timedelta(days=2)).sent == 1


def test_a_deleted_entry_does_not_count_as_logged(app: Flask, service: PushService) -> None:
    patient = setup_patient(app, service)
    log_entry(app, patient["user_id"], NOW - timedelta(minutes=30))
    with app.app_context():
        for entry in db.session.scalars(select(PainEntry)):
            entries_service.delete_entry(db.session, entry, NOW - timedelta(minutes=20))
        db.session.commit()

    assert run_sweep(app, NOW).sent == 1


def test_after_three_silent_days_one_gentle_nudge(
    app: Flask, service: PushService, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[Any] = []
    monkeypatch.setattr(
        reminders_service, "notify_care_team_of_silence", lambda *args: told.append(args)
    )
    patient = setup_patient(app, service)
    sent = [run_sweep(app, NOW + timedelta(days=day)).sent for day in range(6)]

    kinds = [(d.kind, d.status) for d in deliveries(app)]
    assert sent == [1, 1, 1, 1, 0, 0]
    assert kinds[:3] == [("reminder", "sent")] * 3
    assert kinds[3] == ("nudge", "sent")
    assert kinds[4:] == [("reminder", "skipped")] * 2
    body = json.loads(patient["keys"].decrypt(service.received[3].body))["body"]
    assert body.startswith("No pressure.")
    assert len(told) == 1

    log_entry(app, patient["user_id"], NOW + timedelta(days=6, hours=1))
    run_sweep(app, NOW + timedelta(days=7))  # logged since the last one: skipped
    assert run_sweep(app, NOW + timedelta(days=8)).sent == 1
    assert deliveries(app)[-1].kind == "reminder"


def test_a_snoozed_reminder_comes_back_once_then_keeps_its_time(
    app: Flask, service: PushService
) -> None:
    patient = setup_patient(app, service)
    run_sweep(app, NOW)
    with app.app_context():
        reminders_service.snooze(db.session, patient["schedule_id"], 30, NOW + timedelta(minutes=1))
        db.session.commit()

    assert run_sweep(app, NOW + timedelta(minutes=31)).sent == 1

    assert [d.due_at for d in deliveries(app)] == [NOW, NOW + timedelta(minutes=31)]
    assert schedule_of(app, patient["schedule_id"]).next_fire_at == NOW + timedelta(days=1)


def test_a_paused_reminder_is_not_sent(app: Flask, service: PushService) -> None:
    patient = setup_patient(app, service)
    with app.app_context():
        user = db.session.get(entries_service.User, patient["user_id"])
        schedule = db.session.get(ReminderSchedule, patient["schedule_id"])
        reminders_service.update_reminder(db.session, user, schedule, {"enabled": False}, SET_UP)
        db.session.commit()

    assert run_sweep(app, NOW).sent == 0
    assert service.received == []
