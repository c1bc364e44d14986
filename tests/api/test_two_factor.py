"""Password changes sign out everywhere; two-step sign-in with TOTP and recovery codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from flask import Flask

from tests.api.test_pages import form_token
from tests.conftest import ApiClient
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def test_changing_the_password_signs_out_everywhere_else(
    app: Flask, patient_api: ApiClient, patient: dict[str, str]
) -> None:
    other_device = ApiClient(app.test_client())
    other_device.login(patient["email"])

    response = patient_api.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 204
    assert other_device.get("/api/v1/me").status_code == 401
    patient_api.forget_token()
    assert patient_api.get("/api/v1/me").status_code == 200  # this browser got a new session
    fresh = ApiClient(app.test_client())
    assert (
        fresh.post(
            "/api/v1/auth/login", json={"email": patient["email"], "password": PASSWORD}
        ).status_code
        == 401
    )
    fresh.login(patient["email"], NEW_PASSWORD)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_password": "not it at all", "new_password": NEW_PASSWORD}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password"),
        ({"current_password": PASSWORD, "new_password": PASSWORD}, "new_password"),
    ],
)
def test_bad_password_changes_are_422(
    patient_api: ApiClient, body: dict[str, str], field: str
) -> None:
    response = patient_api.post("/api/v1/auth/password", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def enable_totp(api: ApiClient) -> tuple[str, list[str]]:
    secret = api.post("/api/v1/auth/totp").get_json()["secret"]
    earlier = (datetime.now(UTC) - timedelta(seconds=30)).timestamp()
    code = pyotp.TOTP(secret).at(earlier)  # leave the current step for the sign-in below
    codes = api.post("/api/v1/auth/totp/confirm", json={"otp": code}).get_json()
    return secret, codes["recovery_codes"]


def test_two_step_sign_in_needs_the_code(
    app: Flask, patient_api: ApiClient, patient: dict[str, str]
) -> None:
    secret, recovery = enable_totp(patient_api)
    assert len(recovery) == 10
    api = ApiClient(app.test_client())
    login = {"email": patient["email"], "password": PASSWORD}

    without = api.post("/api/v1/auth/login", json=login)
    wrong = api.post("/api/v1/auth/login", json={**login, "otp": "000000"})
    code = pyotp.TOTP(secret).now()
    right = api.post("/api/v1/auth/login", json={**login, "otp": code})

    assert without.status_code == 401
    assert "otp" in without.get_json()["errors"]
    assert wrong.status_code == 401
    assert right.status_code == 200
    replay = ApiClient(app.test_client())
    assert replay.post("/api/v1/auth/login", json={**login, "otp": code}).status_code == 401


def test_a_recovery_code_works_once(
    app: Flask, patient_api: ApiClient, patient: dict[str, str]
) -> None:
    _, recovery = enable_totp(patient_api)
    login = {"email": patient["email"], "password": PASSWORD, "recovery_code": recovery[3]}

    first = ApiClient(app.test_client()).post("/api/v1/auth/login", json=login)
    second = ApiClient(app.test_client()).post("/api/v1/auth/login", json=login)

    assert first.status_code == 200
    assert second.status_code == 401


def test_confirming_with_a_wrong_code_keeps_it_off(
    app: Flask, patient_api: ApiClient, patient: dict[str, str]
) -> None:
    patient_api.post("/api/v1/auth/totp")

    response = patient_api.post("/api/v1/auth/totp/confirm", json={"otp": "123456"})

    assert response.status_code == 422
    ApiClient(app.test_client()).login(patient["email"])  # no code needed


def test_turning_it_off_needs_the_password(
    app: Flask, patient_api: ApiClient, patient: dict[str, str]
) -> None:
    enable_totp(patient_api)

    assert patient_api.delete("/api/v1/auth/totp", json={"password": "guess"}).status_code == 422
    assert patient_api.delete("/api/v1/auth/totp", json={"password": PASSWORD}).status_code == 204
    ApiClient(app.test_client()).login(patient["email"])


def test_two_step_sign_in_on_the_pages(
    app: Flask, patient_api: ApiClient, patient: dict[str, str]
) -> None:
    secret, _ = enable_totp(patient_api)
    client = app.test_client()
    token = form_token(client.get("/sign-in").get_data(as_text=True))

    first = client.post(
        "/sign-in",
        data={
            "email": patient["email"],
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/trends",
        },
    )
    assert first.status_code == 302
    assert first.headers["Location"].startswith("/sign-in/code")
    assert client.get("/api/v1/me").status_code == 401  # not yet

    page = client.get(first.headers["Location"]).get_data(as_text=True)
    wrong = client.post(
        "/sign-in/code", data={"otp": "000000", "csrf_token": form_token(page), "next": "/trends"}
    )
    right = client.post(
        "/sign-in/code",
        data={"otp": pyotp.TOTP(secret).now(), "csrf_token": form_token(page), "next": "/trends"},
    )

    assert wrong.status_code == 401
    assert right.status_code == 302
    assert right.headers["Location"] == "/trends"
    assert client.get("/api/v1/me").status_code == 200


def test_the_set_up_page_shows_a_qr_code_then_the_recovery_codes(patient_api: ApiClient) -> None:
    client = patient_api.client
    page = client.get("/account/two-step").get_data(as_text=True)
    started = client.post(
        "/account/two-step", data={"action": "start", "csrf_token": form_token(page)}
    ).get_data(as_text=True)
    secret = re.search(r'<code class="invite-url">([A-Z2-7]+)</code>', started)
    assert secret and "<svg" in started

    done = client.post(
        "/account/two-step",
        data={
            "action": "confirm",
            "otp": pyotp.TOTP(secret.group(1)).now(),
            "csrf_token": form_token(page),
        },
    ).get_data(as_text=True)

    assert "Keep these recovery codes" in done
    assert len(re.findall(r"<li><code>[0-9a-f]{6}-[0-9a-f]{6}</code></li>", done)) == 10
