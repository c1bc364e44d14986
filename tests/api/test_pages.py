"""The account pages work without JavaScript; errors and headers are right everywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import PASSWORD


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    token = form_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def test_sign_up_form_creates_account_and_signs_in(client: FlaskClient) -> None:
    response = post_form(
        client,
        "/sign-up",
        {
            "display_name": "Robin",
            "email": "robin@example.org",
            "password": "a long enough password",
            "timezone": "Europe/Berlin",
        },
    )

    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Robin" in home
    assert "Sign out" in home


def test_sign_up_form_shows_errors_next_to_fields(client: FlaskClient) -> None:
    response = post_form(
        client,
        "/sign-up",
        {
            "display_name": "Robin",
            "email": "nope",
            "password": "tiny9pw",
            "timezone": "Nowhere/City",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("email", "password", "timezone"):
        assert f'id="{field}-error"' in html
    assert 'value="nope"' in html  # what was typed is kept
    assert "tiny9pw" not in html  # but never the password


def test_sign_in_form_and_sign_out(client: FlaskClient, patient: dict[str, str]) -> None:
    response = post_form(client, "/sign-in", {"email": patient["email"], "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/v1/me").status_code == 200

    home = client.get("/").get_data(as_text=True)
    sign_out = client.post("/sign-out", data={"csrf_token": form_token(home)})

    assert sign_out.status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_sign_in_form_wrong_password_says_so_without_naming_the_field(
    client: FlaskClient, patient: dict[str, str]
) -> None:
    response = post_form(client, "/sign-in", {"email": patient["email"], "password": "wrong"})

    assert response.status_code == 401
    assert "not right" in response.get_data(as_text=True)


def test_form_post_without_csrf_is_refused(client: FlaskClient, patient: dict[str, str]) -> None:
    response = client.post("/sign-in", data={"email": patient["email"], "password": PASSWORD})

    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/entries", "/entries"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_goes_only_to_our_own_paths(
    client: FlaskClient, patient: dict[str, str], next_url: str, expected: str
) -> None:
    response = post_form(
        client, "/sign-in", {"email": patient["email"], "password": PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_unknown_page_is_a_friendly_html_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Back to the start" in response.get_data(as_text=True)


def test_unknown_api_path_is_problem_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_wrong_method_keeps_allow_header(client: FlaskClient) -> None:
    # /api/v1/me answers GET and DELETE (account deletion); PUT is the wrong method now.
    response = client.put("/api/v1/me")

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "DELETE" in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/", "/sign-in", "/api/v1/auth/csrf", "/no-such-page"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers

    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_hsts_only_behind_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    secure = client.get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script(client: FlaskClient) -> None:
    for path in ("/", "/sign-in", "/sign-up"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html, path


def test_signed_in_pages_show_sign_out(app: Flask, patient_api: Any) -> None:
    html = patient_api.client.get("/").get_data(as_text=True)

    assert 'action="/sign-out"' in html
