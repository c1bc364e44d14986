"""Two sweep processes at the same instant over the same due schedules: each reminder once."""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import ReminderDelivery
from tests.conftest import database_kind
from tests.factories import make_reminder, make_subscription, make_user
from tests.pushservice import BrowserKeys, push_service

NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 20:00 in Berlin
DUE = 120
NOT_YET = 10


def sweep_in_a_process(database_url: str, now: str, start: Any, results: Any) -> None:
    """A whole sweep process of its own: its app, its connections, its push workers."""
    from diary import create_app
    from diary.reminders.scheduler import dispatcher_for, run_sweep
    from tests.conftest import app_config

    app = create_app(app_config(database_url, REMINDER_BATCH_SIZE=10, PUSH_WORKERS=4))
    dispatcher_for(app)  # ready to go before the start signal
    start.wait(timeout=60)
    report = run_sweep(app, datetime.fromisoformat(now))
    results.put((os.getpid(), report.sent, report.duplicates))


def test_two_sweeps_at_once_deliver_every_due_reminder_exactly_once(
    app: Flask, database_url: str
) -> None:
    with push_service() as service:
        service.delay = 0.01  # each push takes a moment, so the two sweeps overlap
        with app.app_context():
            for i in range(DUE + NOT_YET):
                user = make_user(db.session, email=f"p{i}@example.org")
                make_subscription(db.session, user, service.endpoint(f"p{i}"), BrowserKeys(), NOW)
                # The last few are due tomorrow, not now.
                set_up = NOW - timedelta(hours=1) if i < DUE else NOW + timedelta(minutes=1)
                make_reminder(db.session, user, set_up)
            db.session.commit()

        # Two real OS processes, released together. On PostgreSQL they claim batches with
        # FOR UPDATE SKIP LOCKED side by side; on SQLite the write lock (BEGIN IMMEDIATE)
        # makes them take turns batch by batch, and the test runs there all the same.
        context = multiprocessing.get_context("spawn")
        start = context.Barrier(2)
        results = context.Queue()
        processes = [
            context.Process(
                target=sweep_in_a_process, args=(database_url, NOW.isoformat(), start, results)
            )
            for _ in range(2)
        ]
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(timeout=30)

        assert [process.exitcode for process in processes] == [0, 0]
        counts = service.counts()
        assert len(counts) == DUE
        assert set(counts.values()) == {1}
        assert "/push/p" + str(DUE) not in counts  # not due yet: not sent
    assert sum(sent for _, sent, _ in outcomes) == DUE
    with app.app_context():
        deliveries = db.session.scalar(select(func.count()).select_from(ReminderDelivery))
        distinct = db.session.scalar(
            select(func.count()).select_from(
                select(ReminderDelivery.schedule_id).distinct().subquery()
            )
        )
    assert deliveries == distinct == DUE
    if database_kind() == "postgresql":
        # Both processes really worked side by side.
        assert all(sent > 0 for _, sent, _ in outcomes), outcomes
