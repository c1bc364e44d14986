"""The 5-year series is kept in Redis under the diary's version: never stale, never required."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from sqlalchemy import event

from diary.extensions import db
from tests.conftest import ApiClient

DAILY = "/api/v1/patients/me/trends/daily?from=2026-01-01&to=2026-01-31"
REDIS = "redis://127.0.0.1:6379/15"


def rollup_reads(app: Flask, api: ApiClient, path: str) -> tuple[Any, int]:
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def before(*args: Any) -> None:
        if "pain_daily_stats" in args[2]:
            seen.append(args[2])

    event.listen(engine, "before_cursor_execute", before)
    try:
        response = api.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return response, len(seen)


def signed_in(app: Flask, patient: dict[str, str]) -> ApiClient:
    api = ApiClient(app.test_client())
    api.login(patient["email"])
    return api


def test_a_second_read_comes_from_the_cache_until_the_diary_changes(
    make_app: Any, patient: dict[str, str]
) -> None:
    app = make_app(CACHE_REDIS_URL=REDIS, RATELIMIT_KEY_PREFIX=f"t{secrets.token_hex(4)}")
    api = signed_in(app, patient)
    api.post(
        "/api/v1/patients/me/entries", json={"intensity": 4, "recorded_at": "2026-01-05T12:00:00Z"}
    )

    first, first_reads = rollup_reads(app, api, DAILY)
    second, second_reads = rollup_reads(app, api, DAILY)
    api.post(
        "/api/v1/patients/me/entries", json={"intensity": 8, "recorded_at": "2026-01-05T18:00:00Z"}
    )
    third, third_reads = rollup_reads(app, api, DAILY)

    assert (first_reads, second_reads, third_reads) == (1, 0, 1)
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    day = next(d for d in third.get_json()["days"] if d["date"] == "2026-01-05")
    assert day == {"date": "2026-01-05", "mean": 6.0, "min": 4, "max": 8, "count": 2}


def test_an_edit_or_a_delete_also_changes_the_answer(
    make_app: Any, patient: dict[str, str]
) -> None:
    app = make_app(CACHE_REDIS_URL=REDIS, RATELIMIT_KEY_PREFIX=f"t{secrets.token_hex(4)}")
    api = signed_in(app, patient)
    entry = api.post(
        "/api/v1/patients/me/entries", json={"intensity": 4, "recorded_at": "2026-01-05T12:00:00Z"}
    ).get_json()
    api.get(DAILY)

    api.patch(f"/api/v1/patients/me/entries/{entry['id']}", json={"intensity": 9})
    edited = api.get(DAILY).get_json()
    api.delete(f"/api/v1/patients/me/entries/{entry['id']}")
    deleted = api.get(DAILY).get_json()

    assert next(d for d in edited["days"] if d["date"] == "2026-01-05")["mean"] == 9.0
    assert deleted["days_logged"] == 0


def test_without_redis_the_answer_is_the_same(make_app: Any, patient: dict[str, str]) -> None:
    down = make_app(CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    api = signed_in(down, patient)
    api.post(
        "/api/v1/patients/me/entries", json={"intensity": 4, "recorded_at": "2026-01-05T12:00:00Z"}
    )

    response = api.get(DAILY)

    assert response.status_code == 200
    assert response.get_json()["days_logged"] == 1
