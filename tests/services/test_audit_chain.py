"""The audit trail is a hash chain: `flask audit verify` names the first altered row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import text

from diary.extensions import db
from diary.models import AuditEvent
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


def test_a_batch_is_stored_as_given_in_its_order(app: Flask) -> None:
    """The dashboard's batch (one statement on PostgreSQL): every field, gaps and all."""
    paris = datetime(2026, 3, 29, 10, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    reads = [
        audit.Read(
            actor_id=uuid.uuid4() if n % 3 else None,
            patient_id=uuid.uuid4(),
            link_id=uuid.uuid4() if n % 2 else None,
            link_kind="care_link" if n % 2 else "report_link",
            action=f"read:dashboard:{n}" + "x" * (130 if n == 7 else 0),
            path=f"/clinician?n={n}&q=é'\"\\",
        )
        for n in range(60)
    ]
    with app.app_context():
        audit.record(db.session, reads, paris)
        db.session.commit()
        stored = list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)))

        assert [
            (e.actor_id, e.patient_id, e.link_id, e.link_kind, e.action, e.path) for e in stored
        ] == [
            (r.actor_id, r.patient_id, r.link_id, r.link_kind, r.action[:120], r.path)
            for r in reads
        ]
        assert {e.occurred_at for e in stored} == {paris}
        assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(stored))
        assert audit.verify(db.session) == audit.Verdict(checked=60, first_bad_id=None)
