"""The audit trail is a hash chain: `flask audit verify` names the first altered row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import text

from diary.extensions import db
from diary.services import audit


def append(app: Flask, count: int) -> None:
    with app.app_context():
        patient = uuid.uuid4()
        for n in range(count):
            audit.record(
                db.session,
                [audit.Read(uuid.uuid4(), patient, None, "care_link", f"read:{n}", "/x")],
                datetime.now(UTC),
            )
        db.session.commit()


def tamper(app: Flask, statement: str) -> None:
    """Change the trail behind the triggers' back, as someone with the database's keys could."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET session_replication_role = replica"))
            db.session.execute(text(statement))
            db.session.execute(text("SET session_replication_role = DEFAULT"))
        else:
            db.session.execute(text("DROP TRIGGER audit_events_no_update"))
            db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
            db.session.execute(text(statement))
        db.session.commit()


def test_an_untouched_chain_verifies(app: Flask) -> None:
    append(app, 5)

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert result.exit_code == 0
    assert "intact: 5 events" in result.output


def test_an_altered_row_is_named(app: Flask) -> None:
    append(app, 5)
    tamper(app, "UPDATE audit_events SET action = 'nothing to see' WHERE id = 3")

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert "event 3 does not follow" in result.output


def test_a_removed_row_breaks_the_chain_after_it(app: Flask) -> None:
    append(app, 5)
    tamper(app, "DELETE FROM audit_events WHERE id = 2")

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert "event 3 does not follow" in result.output


def test_appends_in_one_statement_chain_in_order(app: Flask) -> None:
    with app.app_context():
        reads = [
            audit.Read(None, uuid.uuid4(), None, "report_link", "read", "/r") for _ in range(4)
        ]
        audit.record(db.session, reads, datetime.now(UTC))
        db.session.commit()
        assert audit.verify(db.session).first_bad_id is None
        assert audit.verify(db.session).checked == 4
