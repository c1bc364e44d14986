"""The settings page: the account and this phone's notifications."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import ApiClient


def test_settings_need_a_sign_in(client: FlaskClient) -> None:
    response = client.get("/settings")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/settings")


def test_settings_show_the_account(patient_api: ApiClient) -> None:
    html = patient_api.client.get("/settings").get_data(as_text=True)

    assert "<dd>Pat</dd>" in html
    assert "<dd>pat@example.org</dd>" in html
    assert "<dd>Europe/Berlin</dd>" in html


def test_settings_offer_notifications_on_this_phone(patient_api: ApiClient) -> None:
    html = patient_api.client.get("/settings").get_data(as_text=True)

    assert "Notifications on this phone" in html
    assert "data-push-subscribe" in html and "data-push-unsubscribe" in html
    assert 'role="status"' in html
    assert 'src="/static/js/settings.js"' in html


def test_settings_are_in_the_main_navigation(patient_api: ApiClient) -> None:
    html = patient_api.client.get("/").get_data(as_text=True)

    assert '<a href="/settings">Settings</a>' in html


def test_signed_in_pages_have_no_inline_script(patient_api: ApiClient) -> None:
    for path in ("/settings", "/offline", "/outbox", "/entries/new", "/entries"):
        html = patient_api.client.get(path).get_data(as_text=True)

        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html), path
        assert " style=" not in html, path
