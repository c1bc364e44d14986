"""Fixtures: the app on SQLite or PostgreSQL (DIARY_TEST_DB), a client, a signed-in client."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from diary import create_app
from diary.extensions import db
from tests.factories import PASSWORD, make_user


def share_url_builders() -> None:
    """Let every test's app reuse Werkzeug's generated URL builders instead of making its own.

    Binding a rule generates and compiles Python code for it (about 0.1 s for our 118 rules,
    which was most of create_app and so of each test's setup). The code depends only on the
    rule's parts: rules without defaults, the same in every app, can share it (each app's
    Rule still binds the function to itself).
    """
    compile_builder = Rule._compile_builder
    built: dict[tuple[Any, ...], Any] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Any:
        if self.defaults:
            return compile_builder(self, append_unknown)
        key = (self.rule, tuple(self._trace), append_unknown)
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    Rule._compile_builder = shared  # type: ignore[method-assign]


share_url_builders()

# One VAPID key for the run (base64url raw P-256), so no test writes one into instance/.
TEST_VAPID_PRIVATE_KEY = (
    base64.urlsafe_b64encode(
        ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big")
    )
    .decode()
    .rstrip("=")
)

POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def database_kind() -> str:
    kind = os.environ.get("DIARY_TEST_DB", "sqlite")
    if kind not in ("sqlite", "postgresql"):
        raise pytest.UsageError("DIARY_TEST_DB must be sqlite or postgresql")
    return kind


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {database_kind()}"


def create_database(prefix: str, tmp_dir: Path) -> str:
    """Make an empty throwaway database and return its URL."""
    if database_kind() == "sqlite":
        return f"sqlite:///{tmp_dir / f'{prefix}-{secrets.token_hex(4)}.sqlite3'}"
    name = f"{prefix}_{secrets.token_hex(4)}"
    engine = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable at {POSTGRES_SERVER}; the suite cannot run on it. "
            f"Start it (make test does) or set TEST_POSTGRES_URL.\n{error}",
            returncode=3,
        )
    finally:
        engine.dispose()
    return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    name = make_url(url).database
    engine = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def app_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "DIARY_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        # argon2id still, at a cost that keeps the suite quick.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
        "VAPID_PRIVATE_KEY": TEST_VAPID_PRIVATE_KEY,
        **overrides,
    }


@pytest.fixture(scope="session")
def migrated_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database for the run (on SQLite, the template each test copies)."""
    url = create_database("diary_test", tmp_path_factory.mktemp("db"))
    app = create_app(app_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if url in _cleaners:
        _cleaners.pop(url).dispose()
    drop_database(url)


_cleaners: dict[str, Engine] = {}


def empty_postgres(url: str) -> None:
    """Delete every row the test left and restart the ids, keeping the migrated schema.

    DELETE of a test's few rows is far quicker than TRUNCATE, which makes new files for every
    table (it was a third of the PostgreSQL half's time). With session_replication_role set to
    replica no trigger fires: neither the foreign keys' nor the append-only audit table's.
    """
    engine = _cleaners.get(url)
    if engine is None:
        engine = _cleaners[url] = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in db.metadata.sorted_tables:
            conn.execute(table.delete())
        sequences = conn.scalars(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        )
        for name in list(sequences):
            conn.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))


@pytest.fixture
def database_url(migrated_database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database with the migrated schema and no rows, for one test."""
    if migrated_database_url.startswith("sqlite"):
        template = Path(make_url(migrated_database_url).database or "")
        copy = tmp_path / "test.sqlite3"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
        return
    yield migrated_database_url
    empty_postgres(migrated_database_url)


@pytest.fixture
def make_app(database_url: str) -> Iterator[Any]:
    """Build apps with extra settings; the database is emptied after the test."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app(app_config(database_url, **overrides))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Any) -> Flask:
    return make_app()  # type: ignore[no-any-return]


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The app's database session inside an app context."""
    with app.app_context():
        yield db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class ApiClient:
    """A test client that sends JSON and the CSRF token the way the real front end does."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self._token: str | None = None

    @property
    def csrf_token(self) -> str:
        if self._token is None:
            self._token = self.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
        return self._token

    def forget_token(self) -> None:
        self._token = None

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        if method.upper() not in ("GET", "HEAD", "OPTIONS"):
            kwargs.setdefault("headers", {}).setdefault("X-CSRFToken", self.csrf_token)
        return self.client.open(path, method=method, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def login(self, email: str, password: str = PASSWORD) -> Any:
        response = self.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        self.forget_token()  # a new session comes with a new token
        return response


@pytest.fixture
def api(client: FlaskClient) -> ApiClient:
    return ApiClient(client)


@pytest.fixture
def patient(app: Flask) -> Any:
    """A committed patient account."""
    with app.app_context():
        user = make_user(db.session, email="pat@example.org", display_name="Pat")
        db.session.commit()
        return {"id": str(user.id), "email": user.email}


@pytest.fixture
def patient_api(app: Flask, patient: Any) -> ApiClient:
    """An API client signed in as the patient."""
    api = ApiClient(app.test_client())
    api.login(patient["email"])
    return api
