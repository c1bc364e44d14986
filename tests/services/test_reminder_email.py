"""E-mail reminders reach a local SMTP server; a refusing server is retried with backoff."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from diary.extensions import db
from diary.models import ReminderDelivery
from diary.reminders.scheduler import run_sweep
from tests.factories import make_reminder, make_user

NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 20:00 in Berlin


class Mailbox:
    """An aiosmtpd handler that keeps messages, or refuses the next `refuse` of them."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = 0
        self.refused = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def email_patient(app: Flask) -> None:
    with app.app_context():
        user = make_user(db.session, email="pat@example.org")
        make_reminder(db.session, user, NOW - timedelta(hours=1), channels=["email"])
        db.session.commit()


def delivery(app: Flask) -> ReminderDelivery:
    with app.app_context():
        [row] = db.session.scalars(select(ReminderDelivery)).all()
        return row


def test_an_email_reminder_arrives_plain_and_short(
    make_app: Any, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    app = make_app(
        SMTP_URL=f"smtp://127.0.0.1:{port}",
        MAIL_FROM="Pain Diary <diary@example.org>",
        PUBLIC_URL="https://diary.example.org",
    )
    email_patient(app)

    assert run_sweep(app, NOW).sent == 1

    [message] = box.messages
    assert message["To"] == "pat@example.org"
    assert message["From"] == "Pain Diary <diary@example.org>"
    assert message["Subject"] == "A gentle reminder from your pain diary"
    assert message.get_content_type() == "text/plain"
    body = message.get_payload()
    assert "https://diary.example.org/entries/new" in body
    assert len(body) < 400
    assert delivery(app).channels_sent == ["email"]


def test_a_refusing_smtp_server_is_retried_with_backoff(
    make_app: Any, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse = 2
    app = make_app(SMTP_URL=f"smtp://127.0.0.1:{port}")
    email_patient(app)

    first = run_sweep(app, NOW)
    row = delivery(app)
    assert (first.sent, first.retrying) == (0, 1)
    assert (row.status, row.attempts, row.pending_channels) == ("retrying", 1, ["email"])
    assert row.next_attempt_at == NOW + timedelta(minutes=1)
    assert row.detail == "email: SMTPDataError 451"

    # Not before its time: no tight loop.
    assert run_sweep(app, NOW + timedelta(seconds=59)).retried == 0
    assert box.refused == 1

    run_sweep(app, NOW + timedelta(minutes=1))
    row = delivery(app)
    assert (row.status, row.attempts) == ("retrying", 2)
    assert row.next_attempt_at == NOW + timedelta(minutes=3)  # waited 1, now 2 minutes

    run_sweep(app, NOW + timedelta(minutes=3))
    row = delivery(app)
    assert (row.status, row.attempts, row.next_attempt_at) == ("sent", 3, None)
    assert len(box.messages) == 1


def test_an_unreachable_smtp_server_is_given_up_within_the_grace(make_app: Any) -> None:
    app = make_app(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    email_patient(app)

    run_sweep(app, NOW)
    sweeps = 1
    while (row := delivery(app)).status == "retrying":
        assert row.next_attempt_at is not None
        run_sweep(app, row.next_attempt_at)
        sweeps += 1

    assert row.status == "failed"
    assert row.attempts == sweeps == 7  # after 1, 2, 4, 8, 16 and 32 minutes
    assert row.detail.startswith("email: ConnectionRefusedError")


def test_without_smtp_an_email_reminder_is_recorded_as_not_sent(app: Flask) -> None:
    email_patient(app)

    report = run_sweep(app, NOW)

    assert (report.sent, report.skipped) == (0, 1)
    assert delivery(app).detail == "email: not set up on this server"
