"""GET /healthz, and 503 when the database is gone."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/nothing?connect_timeout=1"


def test_healthz_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(make_app: Any) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE, DATABASE_URL=UNREACHABLE)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert response.headers["Retry-After"]


def test_api_answers_503_problem_when_database_unreachable(make_app: Any) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE, DATABASE_URL=UNREACHABLE)
    client = app.test_client()
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]

    response = client.post(
        "/api/v1/auth/login",
        json={"email": "a@example.org", "password": "whatever it is"},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
