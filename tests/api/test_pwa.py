"""The installable app's server side: /sw.js, the manifest, the shell pages, sign-out headers."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diary.pwa.views import shell_version
from tests.api.test_compression import fetch
from tests.conftest import ApiClient

STATIC = Path(__file__).resolve().parents[2] / "static"


def worker_settings(client: FlaskClient) -> dict[str, Any]:
    first_line = client.get("/sw.js").get_data(as_text=True).splitlines()[0]
    match = re.fullmatch(r"self\.DIARY_SHELL = (\{.*\});", first_line)
    assert match, first_line
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_service_worker_is_served_from_the_root_uncached(client: FlaskClient) -> None:
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert 'addEventListener("fetch"' in response.get_data(as_text=True)


def test_service_worker_answers_304_when_unchanged(client: FlaskClient) -> None:
    etag = client.get("/sw.js").headers["ETag"]

    assert client.get("/sw.js", headers={"If-None-Match": etag}).status_code == 304


def test_precache_holds_the_shell_and_no_diary_data(client: FlaskClient) -> None:
    settings = worker_settings(client)
    precache = settings["precache"]

    assert {"/static/css/app.css", "/static/js/outbox.js", "/offline", "/outbox"} <= set(precache)
    assert "/static/icons/icon-192.png" in precache
    assert not [url for url in precache if url.startswith(("/api/", "/entries", "/trends"))]
    assert settings["logPage"] == "/entries/new"
    assert settings["offlinePage"] == "/offline"
    for url in precache:
        assert fetch(client, url).status_code == 200, url


def test_shell_version_is_a_digest_that_follows_the_files(app: Flask) -> None:
    version = shell_version(app)

    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert shell_version(app) == version  # stable while nothing changed
    app.extensions["diary.shell_version"] = ((), "stale")
    assert shell_version(app) == version  # recomputed once the files' stamp differs


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_manifest_makes_the_app_installable(client: FlaskClient) -> None:
    response = client.get("/manifest.webmanifest")
    manifest = response.get_json(force=True)

    assert response.mimetype == "application/manifest+json"
    assert manifest["name"] == "Pain Diary"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["theme_color"] and manifest["background_color"]
    pngs = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(pngs)
    for (sizes, _), src in pngs.items():
        if sizes == "any":
            continue
        assert fetch(client, src).status_code == 200
        width, height = _png_size(STATIC / src.removeprefix("/static/"))
        assert f"{width}x{height}" == sizes


def test_pages_link_the_manifest(client: FlaskClient) -> None:
    html = client.get("/sign-in").get_data(as_text=True)

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'src="/static/js/app.js"' in html


@pytest.mark.parametrize("path", ["/offline", "/outbox"])
def test_shell_pages_carry_nothing_of_the_person_signed_in(
    patient_api: ApiClient, patient: dict[str, str], path: str
) -> None:
    response = patient_api.client.get(path)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "csrf_token" not in html
    assert patient["email"] not in html
    assert patient["id"] not in html
    assert "data-user" not in html
    assert 'action="/sign-out"' not in html


@pytest.mark.parametrize("path", ["/offline", "/outbox"])
def test_shell_pages_need_no_sign_in(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_log_page_names_its_owner_for_the_worker(
    patient_api: ApiClient, patient: dict[str, str]
) -> None:
    html = patient_api.client.get("/entries/new").get_data(as_text=True)

    assert f'<body data-user="{patient["id"]}">' in html
    assert "data-offline-log" in html
    assert 'data-timezone="Europe/Berlin"' in html


def test_edit_page_is_not_saved_through_the_outbox(patient_api: ApiClient) -> None:
    entry = patient_api.post("/api/v1/patients/me/entries", json={"intensity": 3}).get_json()

    html = patient_api.client.get(f"/entries/{entry['id']}/edit").get_data(as_text=True)

    assert "data-log-form" in html
    assert "data-offline-log" not in html


def test_diary_says_saved_after_a_save_by_script(patient_api: ApiClient) -> None:
    html = patient_api.client.get("/entries?saved=1").get_data(as_text=True)

    assert "Saved. Thank you for logging." in html


def test_sign_out_page_clears_what_the_browser_kept(patient_api: ApiClient) -> None:
    home = patient_api.client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home)
    assert token

    response = patient_api.client.post("/sign-out", data={"csrf_token": token.group(1)})

    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_api_logout_clears_what_the_browser_kept(patient_api: ApiClient) -> None:
    response = patient_api.post("/api/v1/auth/logout")

    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_signed_in_pages_show_an_outbox_badge_and_a_sign_out_dialog(
    patient_api: ApiClient,
) -> None:
    html = patient_api.client.get("/").get_data(as_text=True)

    assert "data-outbox-badge hidden" in html
    assert '<dialog class="dialog" id="sign-out-dialog"' in html
    assert "data-sign-out" in html
