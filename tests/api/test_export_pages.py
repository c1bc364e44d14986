"""The pages of the patient's own copy: settings links, the import steps, no inline code."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import PainEntry
from tests.conftest import ApiClient

OTHER_APP = "Date,Time,Pain level,Notes\r\n2026-03-01,08:00,5,stiff\r\n2026-03-02,21:30,6,\r\n"


def upload(api: ApiClient, text: str, name: str = "export.csv") -> tuple[int, str]:
    response = api.client.post(
        "/settings/import",
        data={"csrf_token": api.csrf_token, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)


def test_settings_offer_downloads_import_and_deletion(patient_api: ApiClient) -> None:
    html = patient_api.client.get("/settings").get_data(as_text=True)

    for href in (
        "/api/v1/patients/me/export.csv",
        "/api/v1/patients/me/export.fhir.json",
        "/api/v1/me/export.json",
        "/settings/import",
        "/settings/delete",
        "/trends/report",
    ):
        assert f'href="{href}"' in html, href


def test_our_own_export_is_imported_in_one_step(patient_api: ApiClient) -> None:
    patient_api.post("/api/v1/patients/me/entries", json={"intensity": 4, "note": "a, b"})
    exported = patient_api.get("/api/v1/patients/me/export.csv").get_data(as_text=True)

    status, html = upload(patient_api, exported)

    assert status == 200
    assert "0 entries added to your diary." in html
    assert "1 was already in your diary" in html


def test_another_apps_export_asks_which_column_is_which(app: Flask, patient_api: ApiClient) -> None:
    status, html = upload(patient_api, OTHER_APP, "other.csv")

    assert status == 200
    assert "Which column is which?" in html
    assert '<option value="Pain level" selected>' in html  # a guess, shown to be checked
    assert re.search(r'<select id="map-date"[^>]*>.*?<option value="Date" selected>', html, re.S)
    hidden = re.search(r'name="csv" value="([^"]*)"', html)
    assert hidden is not None and "stiff" in hidden.group(1)
    form = {
        "csrf_token": patient_api.csrf_token,
        "csv": OTHER_APP,
        "map-date": "Date",
        "map-time": "Time",
        "map-intensity": "Pain level",
        "map-note": "Notes",
        "date_order": "ymd",
    }

    done = patient_api.client.post("/settings/import/mapping", data=form)
    again = patient_api.client.post("/settings/import/mapping", data=form)
    unmapped = patient_api.client.post(
        "/settings/import/mapping", data={**form, "map-intensity": ""}
    )

    assert "2 entries added to your diary." in done.get_data(as_text=True)
    assert "2 were already in your diary" in again.get_data(as_text=True)
    assert unmapped.status_code == 422
    assert "Choose the column that holds the pain score." in unmapped.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PainEntry)) == 2


def test_invalid_rows_are_listed_by_line(patient_api: ApiClient) -> None:
    text = "id,recorded_at_utc,intensity\r\n,2026-03-01T08:00:00Z,4\r\n,2026-03-02T08:00:00Z,12\r\n"

    status, html = upload(patient_api, text)

    assert status == 200
    assert "1 entry added to your diary." in html
    assert "Line 3: intensity: Give a whole number from 0 to 10." in html


@pytest.mark.parametrize("text", ["", "\x00\x00", "just one line"])
def test_a_file_that_is_not_a_csv_export_is_explained(patient_api: ApiClient, text: str) -> None:
    status, html = upload(patient_api, text)

    assert status in (200, 422)
    assert "Something went wrong" not in html


def test_no_file_chosen_is_explained(patient_api: ApiClient) -> None:
    response = patient_api.client.post(
        "/settings/import", data={"csrf_token": patient_api.csrf_token}
    )

    assert response.status_code == 422
    assert "Choose the CSV file to import." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/settings/import", "/settings/delete", "/trends/report"])
def test_the_pages_have_no_inline_script_or_style(patient_api: ApiClient, path: str) -> None:
    html = patient_api.client.get(path).get_data(as_text=True)

    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html), path
    assert " style=" not in html, path
