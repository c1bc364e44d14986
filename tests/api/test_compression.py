"""Static text files go out gzipped; pages and API answers never (they carry secrets)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import ApiClient

STATIC = Path(__file__).resolve().parents[2] / "static"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def fetch(client: FlaskClient, path: str, headers: dict[str, str] | None = None) -> TestResponse:
    """GET and read the whole body, closing the file a static answer holds open."""
    with client.get(path, headers=headers or {}) as response:
        response.get_data()
        return response


@pytest.mark.parametrize("name", ["css/app.css", "js/outbox.js", "vendor/chartjs/chart.umd.min.js"])
def test_static_text_is_gzipped_for_clients_that_take_it(client: FlaskClient, name: str) -> None:
    response = fetch(client, f"/static/{name}", GZIP)

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "Accept-Ranges" not in response.headers
    assert gzip.decompress(response.get_data()) == (STATIC / name).read_bytes()
    assert int(response.headers["Content-Length"]) == len(response.get_data())


def test_static_text_is_plain_for_clients_that_do_not(client: FlaskClient) -> None:
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"}):
        response = fetch(client, "/static/css/app.css", headers)

        assert "Content-Encoding" not in response.headers
        assert response.get_data() == (STATIC / "css/app.css").read_bytes()


def test_gzipped_file_still_revalidates_to_304(client: FlaskClient) -> None:
    etag = fetch(client, "/static/css/app.css", GZIP).headers["ETag"]

    assert etag.startswith('W/"')
    again = fetch(client, "/static/css/app.css", {**GZIP, "If-None-Match": etag})
    assert again.status_code == 304


def test_images_and_tiny_files_are_left_alone(client: FlaskClient) -> None:
    assert "Content-Encoding" not in fetch(client, "/static/icons/icon-192.png", GZIP).headers
    assert "Content-Encoding" not in fetch(client, "/static/icons/icon.svg", GZIP).headers


def test_pages_and_api_answers_are_never_compressed(patient_api: ApiClient) -> None:
    for path in ("/", "/entries/new", "/api/v1/me", "/api/v1/auth/csrf", "/sw.js"):
        response = patient_api.client.get(path, headers=GZIP)

        assert "Content-Encoding" not in response.headers, path
