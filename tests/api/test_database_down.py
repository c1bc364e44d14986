"""When the database goes away under a signed-in person: 503 with Retry-After, never 500.

A second app with the same secret key but an unreachable database stands for "the same
server a moment later, after PostgreSQL stopped": the session cookie is valid, so the user
loader is the first thing to need the database.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import PainEntry
from tests.api.test_health import UNREACHABLE
from tests.conftest import ApiClient
from tests.factories import make_user


def _same_cookie_elsewhere(make_app: Any, patient_api: ApiClient) -> ApiClient:
    token = patient_api.csrf_token
    cookie = patient_api.client.get_cookie("diary_session")
    assert cookie is not None
    down = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE, DATABASE_URL=UNREACHABLE)
    client = down.test_client()
    client.set_cookie("diary_session", cookie.value)
    api = ApiClient(client)
    api._token = token  # the token lives in the signed cookie, not in the database
    return api


def test_user_loader_failure_answers_503_problem(make_app: Any, patient_api: ApiClient) -> None:
    api = _same_cookie_elsewhere(make_app, patient_api)

    read = api.get("/api/v1/me")
    write = api.post("/api/v1/patients/me/entries", json={"intensity": 5})

    for response in (read, write):
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert response.headers["Retry-After"] == "5"


def test_user_loader_failure_on_a_page_answers_a_503_page(
    make_app: Any, patient_api: ApiClient
) -> None:
    api = _same_cookie_elsewhere(make_app, patient_api)

    response = api.get("/entries")

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "5"
    assert "cannot be reached" in response.get_data(as_text=True)


WRITERS, POSTS_EACH = 16, 8


def test_many_concurrent_writers_all_succeed(app: Flask) -> None:
    """SQLite takes its write lock up front (BEGIN IMMEDIATE) and waits: no "locked" 500."""
    with app.app_context():
        emails = [make_user(db.session, email=f"w{n}@example.org").email for n in range(WRITERS)]
        db.session.commit()
    clients = []
    for email in emails:
        api = ApiClient(app.test_client())
        api.login(email)
        _ = api.csrf_token
        clients.append(api)
    statuses: list[int] = []
    start = threading.Barrier(WRITERS)

    def write(api: ApiClient) -> None:
        start.wait()
        for n in range(POSTS_EACH):
            response = api.post("/api/v1/patients/me/entries", json={"intensity": n % 11})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * (WRITERS * POSTS_EACH)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(PainEntry))
    assert stored == WRITERS * POSTS_EACH
