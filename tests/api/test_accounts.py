"""The accounts API: registration, sign-in, sign-out, CSRF and the login rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from diary.extensions import db
from diary.models import User
from tests.conftest import ApiClient
from tests.factories import PASSWORD

VALID = {
    "email": "New.Person@Example.org",
    "password": "a long enough password",
    "display_name": "New Person",
    "timezone": "America/New_York",
}


def test_register_creates_the_user(api: ApiClient) -> None:
    response = api.post("/api/v1/auth/register", json=VALID)

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "email", "display_name", "timezone"}
    assert body["email"] == "new.person@example.org"
    assert body["timezone"] == "America/New_York"


def test_invalid_registration_names_every_bad_field(api: ApiClient) -> None:
    response = api.post(
        "/api/v1/auth/register",
        json={
            "email": "not-an-email",
            "password": "short",
            "display_name": "X",
            "timezone": "Mars/Olympus",
        },
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 422
    assert set(body["errors"]) == {"email", "password", "timezone"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "123456789"),  # nine characters
        ("password", 1234567890),
        ("timezone", "Europe/Atlantis"),
        ("timezone", ""),
        ("email", "two@@example.org"),
        ("display_name", ""),
        ("display_name", "bad\x00name"),
        ("display_name", "x" * 81),
    ],
)
def test_each_invalid_field_is_422(api: ApiClient, field: str, value: Any) -> None:
    response = api.post("/api/v1/auth/register", json={**VALID, field: value})

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]


def test_unknown_fields_are_rejected(api: ApiClient) -> None:
    response = api.post("/api/v1/auth/register", json={**VALID, "is_admin": True})

    assert response.status_code == 422
    assert "is_admin" in response.get_json()["errors"]


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2", b"\xff\xfe"])
def test_malformed_json_is_400(api: ApiClient, body: bytes) -> None:
    response = api.post(
        "/api/v1/auth/register", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_422(api: ApiClient, body: bytes) -> None:
    response = api.post(
        "/api/v1/auth/register", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422


def test_oversized_body_is_413(api: ApiClient) -> None:
    response = api.post("/api/v1/auth/register", json={**VALID, "display_name": "x" * (300 * 1024)})

    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_email_is_unique_whatever_its_case(api: ApiClient) -> None:
    assert api.post("/api/v1/auth/register", json=VALID).status_code == 201

    again = api.post("/api/v1/auth/register", json={**VALID, "email": "NEW.PERSON@example.ORG"})

    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"


def test_stored_hash_is_argon2id(app: Flask, api: ApiClient) -> None:
    api.post("/api/v1/auth/register", json=VALID)

    with app.app_context():
        stored = db.session.scalar(select(User.password_hash))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert VALID["password"] not in stored


def test_login_then_me(api: ApiClient, patient: dict[str, str]) -> None:
    api.login(patient["email"].upper())

    response = api.get("/api/v1/me")

    assert response.status_code == 200
    assert response.get_json()["id"] == patient["id"]


def test_me_without_session_is_401_problem(api: ApiClient) -> None:
    response = api.get("/api/v1/me")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_unknown_email_and_wrong_password_get_identical_answers(
    api: ApiClient, patient: dict[str, str]
) -> None:
    wrong_password = api.post(
        "/api/v1/auth/login", json={"email": patient["email"], "password": "not the password"}
    )
    unknown_email = api.post(
        "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "not the password"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json() == unknown_email.get_json()
    assert wrong_password.headers.get("Content-Type") == unknown_email.headers.get("Content-Type")


def test_state_change_without_csrf_token_is_refused(app: Flask) -> None:
    client = app.test_client()

    response = client.post("/api/v1/auth/register", json=VALID)

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_signed_in_request_with_wrong_csrf_token_is_refused(
    patient_api: ApiClient,
) -> None:
    response = patient_api.client.post("/api/v1/auth/logout", headers={"X-CSRFToken": "forged"})

    assert response.status_code == 403
    assert patient_api.get("/api/v1/me").status_code == 200


def test_login_starts_a_new_session(app: Flask, patient: dict[str, str]) -> None:
    api = ApiClient(app.test_client())
    before = api.client.get_cookie("diary_session")
    api.get("/api/v1/auth/csrf")
    anonymous_cookie = api.client.get_cookie("diary_session")

    api.login(patient["email"])

    assert before is None
    assert anonymous_cookie is not None
    assert api.client.get_cookie("diary_session").value != anonymous_cookie.value


def test_cookie_copied_before_sign_out_is_refused_after(app: Flask, patient_api: ApiClient) -> None:
    copied = patient_api.client.get_cookie("diary_session").value
    assert patient_api.post("/api/v1/auth/logout").status_code == 204

    thief = app.test_client()
    thief.set_cookie("diary_session", copied)

    assert thief.get("/api/v1/me").status_code == 401


def test_session_cookie_is_httponly_and_lax(patient_api: ApiClient) -> None:
    cookie = patient_api.client.get_cookie("diary_session")

    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert cookie.expires is not None  # a bounded lifetime, not a year


def test_eleventh_rapid_failed_login_is_429(api: ApiClient, patient: dict[str, str]) -> None:
    answers = [
        api.post("/api/v1/auth/login", json={"email": patient["email"], "password": f"wrong {i}"})
        for i in range(11)
    ]

    assert [a.status_code for a in answers[:10]] == [401] * 10
    assert answers[10].status_code == 429
    assert int(answers[10].headers["Retry-After"]) > 0
    assert answers[10].mimetype == "application/problem+json"


def test_failed_logins_are_counted_per_address_across_accounts(
    make_app: Any,
) -> None:
    app = make_app(LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    api = ApiClient(app.test_client())
    codes = [
        api.post(
            "/api/v1/auth/login", json={"email": f"p{i}@example.org", "password": "wrong"}
        ).status_code
        for i in range(4)
    ]

    assert codes == [401, 401, 401, 429]


def test_successful_logins_are_not_limited(api: ApiClient, patient: dict[str, str]) -> None:
    for _ in range(12):
        api.login(patient["email"])
        assert api.post("/api/v1/auth/logout").status_code == 204
        api.forget_token()  # signing out ends the session and its token


def test_hash_is_upgraded_on_login_when_the_cost_changes(
    make_app: Any, patient: dict[str, str]
) -> None:
    stronger = make_app(ARGON2_TIME_COST=2)
    with stronger.app_context():
        old = db.session.scalar(select(User.password_hash))
    api = ApiClient(stronger.test_client())

    api.login(patient["email"], PASSWORD)

    with stronger.app_context():
        new = db.session.scalar(select(User.password_hash))
    assert old is not None and new is not None
    assert "t=1" in old
    assert "t=2" in new
    assert new.startswith("$argon2id$")
