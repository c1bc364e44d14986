"""Sessions end on the server: after 30 idle minutes, after 12 hours whatever happens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from diary.extensions import db
from diary.models import UserSession
from tests.conftest import ApiClient


def age_session(app: Flask, **fields: Any) -> None:
    with app.app_context():
        db.session.execute(update(UserSession).values(**fields))
        db.session.commit()


def test_idle_for_more_than_30_minutes_ends_the_session(app: Flask, patient_api: ApiClient) -> None:
    age_session(app, last_seen_at=datetime.now(UTC) - timedelta(minutes=31))

    assert patient_api.get("/api/v1/me").status_code == 401


def test_idle_for_29_minutes_keeps_it(app: Flask, patient_api: ApiClient) -> None:
    age_session(app, last_seen_at=datetime.now(UTC) - timedelta(minutes=29))

    assert patient_api.get("/api/v1/me").status_code == 200


def test_activity_resets_the_idle_clock(app: Flask, patient_api: ApiClient) -> None:
    age_session(app, last_seen_at=datetime.now(UTC) - timedelta(minutes=20))
    assert patient_api.get("/api/v1/me").status_code == 200
    with app.app_context():
        seen = db.session.scalars(db.select(UserSession.last_seen_at)).one()

    assert datetime.now(UTC) - seen < timedelta(minutes=1)


def test_twelve_hours_is_the_absolute_limit(app: Flask, patient_api: ApiClient) -> None:
    now = datetime.now(UTC)
    age_session(app, created_at=now - timedelta(hours=12, minutes=1), last_seen_at=now)

    assert patient_api.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("minutes", [5])
def test_the_idle_limit_is_configurable(
    make_app: Any, patient: dict[str, str], minutes: int
) -> None:
    from datetime import timedelta as td

    app = make_app(SESSION_IDLE=td(minutes=minutes))
    api = ApiClient(app.test_client())
    api.login(patient["email"])
    age_session(app, last_seen_at=datetime.now(UTC) - timedelta(minutes=minutes + 1))

    assert api.get("/api/v1/me").status_code == 401


def test_the_cookie_is_set_at_sign_in_for_the_absolute_lifetime_only(
    app: Flask, patient: dict[str, str]
) -> None:
    api = ApiClient(app.test_client())
    signed_in = api.login(patient["email"])
    cookie = next(c for c in signed_in.headers.getlist("Set-Cookie") if "diary_session=" in c)
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])

    later = api.get("/api/v1/me")

    assert later.status_code == 200
    # Nothing to re-sign on an ordinary request: the idle limit is the server's to keep.
    assert not any("diary_session=" in c for c in later.headers.getlist("Set-Cookie"))
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=12))) < timedelta(minutes=1)
