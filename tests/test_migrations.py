"""Migrations build the models' schema from nothing, on the database under test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from diary import create_app
from diary.extensions import db
from tests.conftest import app_config, create_database, drop_database


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    url = create_database("diary_migrations", tmp_path)
    app = create_app(app_config(url))
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(url)


def test_upgrade_to_head_matches_the_models(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)

    assert diff == []


def test_downgrade_to_base_and_up_again(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
