"""Reminder rules against a real session: time zone changes, demo seed, VAPID keys, CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from py_vapid import Vapid
from sqlalchemy import func, select

from diary.config import ConfigError
from diary.extensions import db
from diary.models import ReminderSchedule, User
from diary.reminders.vapid import KEY_FILE, load_vapid, public_key_of
from diary.services import reminders as reminders_service
from tests.conftest import TEST_VAPID_PRIVATE_KEY
from tests.factories import make_reminder, make_user

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_changing_the_time_zone_recomputes_every_schedule(app: Flask) -> None:
    with app.app_context():
        user = make_user(db.session, timezone="Europe/Berlin")
        evening = make_reminder(db.session, user, NOW)
        morning = make_reminder(db.session, user, NOW, time=time(8, 0))
        assert evening.next_fire_at == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)

        user.timezone = "America/New_York"
        reminders_service.recompute_for_user(db.session, user, NOW)

        assert evening.next_fire_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 20:00 EST
        assert morning.next_fire_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 08:00 EST


def test_the_demo_patient_gets_one_evening_push_reminder(app: Flask) -> None:
    runner = app.test_cli_runner()
    with app.app_context():  # seed-demo is a plain click command; `flask` pushes this itself
        runner.invoke(args=["seed-demo"])
        result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0
    with app.app_context():
        [reminder] = db.session.scalars(select(ReminderSchedule)).all()
        assert reminder.local_time.strftime("%H:%M") == "20:00"
        assert (reminder.days, reminder.channels, reminder.enabled) == (
            [0, 1, 2, 3, 4, 5, 6],
            ["push"],
            True,
        )
        owner = db.session.get(User, reminder.user_id)
        assert owner is not None and owner.email == app.config["DEMO_EMAIL"]


def test_vapid_keys_are_made_once_in_the_instance_folder(tmp_path: Path) -> None:
    first = load_vapid("", "", tmp_path)
    second = load_vapid("", "", tmp_path)

    assert (tmp_path / KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert public_key_of(first) == public_key_of(second)


def test_configured_vapid_keys_win_and_must_match(tmp_path: Path) -> None:
    configured = load_vapid(TEST_VAPID_PRIVATE_KEY, "", tmp_path)
    assert not (tmp_path / KEY_FILE).exists()
    assert public_key_of(configured) == public_key_of(Vapid.from_string(TEST_VAPID_PRIVATE_KEY))

    with pytest.raises(ConfigError, match="VAPID_PUBLIC_KEY"):
        load_vapid(TEST_VAPID_PRIVATE_KEY, "BAAA", tmp_path)
    with pytest.raises(ConfigError, match="VAPID_PRIVATE_KEY"):
        load_vapid("not a key", "", tmp_path)


def test_flask_push_keys_prints_the_public_key(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["push", "keys"])

    assert result.exit_code == 0
    assert result.output.strip() == public_key_of(Vapid.from_string(TEST_VAPID_PRIVATE_KEY))


def test_flask_reminders_dispatch_runs_one_sweep_and_says_what_it_did(app: Flask) -> None:
    with app.app_context():
        user = make_user(db.session)
        make_reminder(db.session, user, NOW, channels=["email"])
        db.session.commit()
    runner = app.test_cli_runner()

    result = runner.invoke(args=["reminders", "dispatch", "--now", "2026-11-24T20:00:00+01:00"])

    assert result.exit_code == 0, result.output
    assert "sweep at 2026-11-24T19:00:00+00:00" in result.output
    assert "skipped 1" in result.output  # e-mail is not set up in the tests
    again = runner.invoke(
        args=["reminders", "dispatch", "--now", "2026-11-24T20:00:30+01:00", "--json"]
    )
    assert json.loads(again.output)["skipped"] == 0


def test_dispatch_refuses_a_time_without_offset(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["reminders", "dispatch", "--now", "2026-11-24T20:00"]
    )

    assert result.exit_code != 0
    assert "offset" in result.output


def test_the_bench_times_one_sweep_of_due_schedules(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["reminders", "bench", "--count", "40"])

    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["sent"] == figures["endpoint_received_distinct"] == 40
    assert figures["seconds"] > 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSchedule)) == 0


def test_the_scheduler_runs_one_sweep_job_with_explicit_misfire_rules(app: Flask) -> None:
    from diary.reminders.scheduler import JOB_ID, build_scheduler

    scheduler = build_scheduler(app, background=True)
    [job] = scheduler.get_jobs()

    assert job.id == JOB_ID
    assert job.misfire_grace_time == app.config["REMINDER_SWEEP_SECONDS"]
    assert job.coalesce is True
    assert job.max_instances == 1
    assert job.trigger.interval == timedelta(seconds=60)


def test_the_web_app_never_starts_the_scheduler(app: Flask) -> None:
    import threading

    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]
    assert "apscheduler" not in str(app.extensions)


def test_any_change_of_zone_moves_the_reminders_with_it(app: Flask) -> None:
    with app.app_context():
        user = make_user(db.session, timezone="Europe/Berlin")
        reminder = make_reminder(db.session, user, datetime.now(UTC))
        db.session.commit()
        before = reminder.next_fire_at

        user.timezone = "Australia/Sydney"  # as a settings page would, with no extra call
        db.session.commit()

        assert reminder.next_fire_at is not None and reminder.next_fire_at != before
        local = reminder.next_fire_at.astimezone(ZoneInfo("Australia/Sydney"))
        assert (local.hour, local.minute) == (20, 0)
