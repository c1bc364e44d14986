"""flask backup and flask restore: a restored database holds every row of every table."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, select

from diary import create_app
from diary.extensions import db
from diary.models import ReminderDelivery, ReminderSchedule
from tests.api.test_authorization import build_world
from tests.conftest import ApiClient, app_config, create_database, drop_database
from tests.factories import PASSWORD


def _canonical(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return repr(value)


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: the number of rows and a hash of their content, in primary key order."""
    engine: Engine = create_engine(url)
    result: dict[str, tuple[int, str]] = {}
    try:
        with engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                digest = hashlib.sha256()
                count = 0
                for row in conn.execute(select(table).order_by(*order)):
                    digest.update("\x1f".join(_canonical(v) for v in row).encode() + b"\x1e")
                    count += 1
                result[table.name] = (count, digest.hexdigest())
    finally:
        engine.dispose()
    return result


def fill_every_table(app: Flask) -> None:
    """The authorization world, plus what only requests make: locations, revisions, reads."""
    world = build_world(app)
    owner = ApiClient(app.test_client())
    owner.login("owner@example.org", PASSWORD)
    made = owner.post(
        "/api/v1/patients/me/entries",
        json={"intensity": 6, "locations": [{"region": "front_head_left", "intensity": 7}]},
    )
    assert made.status_code == 201
    edited = owner.patch(f"/api/v1/patients/me/entries/{made.get_json()['id']}", json={"mood": 3})
    assert edited.status_code == 200
    commenter = ApiClient(app.test_client())
    commenter.login("comment@example.org", PASSWORD)
    comment = commenter.post(
        f"/api/v1/patients/{world['<pid>']}/comments",
        json={"day": datetime.now(UTC).date().isoformat(), "body": "How was the week?"},
    )
    assert comment.status_code == 201
    secret = owner.post("/api/v1/auth/totp").get_json()["secret"]
    confirmed = owner.post("/api/v1/auth/totp/confirm", json={"otp": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200  # the recovery codes
    reader = ApiClient(app.test_client())
    reader.login("trends@example.org", PASSWORD)
    assert reader.get(f"/api/v1/patients/{world['<pid>']}/trends/daily").status_code == 200
    with app.app_context():
        schedule = db.session.scalars(select(ReminderSchedule)).first()
        assert schedule is not None
        db.session.add(
            ReminderDelivery(
                schedule_id=schedule.id,
                due_at=datetime.now(UTC) - timedelta(hours=1),
                kind="reminder",
                status="sent",
            )
        )
        db.session.commit()


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it at all: no tables, no rows."""
    url = create_database("diary_restore", tmp_path)
    yield url
    drop_database(url)


def test_restore_into_a_fresh_database_finds_every_row(
    app: Flask, database_url: str, fresh_url: str, tmp_path: Path
) -> None:
    fill_every_table(app)
    before = fingerprint(database_url)
    backup_file = tmp_path / "diary.backup"

    backed_up = app.test_cli_runner().invoke(args=["backup", str(backup_file)])
    restored_app = create_app(app_config(fresh_url))
    restored = restored_app.test_cli_runner().invoke(args=["restore", str(backup_file), "--yes"])
    with restored_app.app_context():
        db.engine.dispose()

    assert backed_up.exit_code == 0, backed_up.output
    assert restored.exit_code == 0, restored.output
    assert [table for table, (rows, _) in before.items() if rows == 0] == []
    assert fingerprint(fresh_url) == before
    assert "Restored" in restored.output


def test_restore_refuses_a_database_with_rows_unless_forced(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    fill_every_table(app)
    before = fingerprint(database_url)
    backup_file = tmp_path / "diary.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(backup_file)]).exit_code == 0

    refused = app.test_cli_runner().invoke(args=["restore", str(backup_file), "--yes"])
    forced = app.test_cli_runner().invoke(args=["restore", str(backup_file), "--yes", "--force"])

    assert refused.exit_code != 0
    assert "not empty" in refused.output
    assert forced.exit_code == 0, forced.output
    assert fingerprint(database_url) == before


def test_restore_asks_first(app: Flask, fresh_url: str, tmp_path: Path) -> None:
    backup_file = tmp_path / "diary.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(backup_file)]).exit_code == 0
    restored_app = create_app(app_config(fresh_url))

    declined = restored_app.test_cli_runner().invoke(
        args=["restore", str(backup_file)], input="n\n"
    )
    with restored_app.app_context():
        db.engine.dispose()

    assert declined.exit_code != 0
    assert "Everything in it is replaced" in declined.output
    assert "Aborted" in declined.output


def test_backup_never_overwrites_a_file(app: Flask, tmp_path: Path) -> None:
    backup_file = tmp_path / "diary.backup"
    backup_file.write_text("keep me")

    result = app.test_cli_runner().invoke(args=["backup", str(backup_file)])

    assert result.exit_code != 0
    assert backup_file.read_text() == "keep me"
