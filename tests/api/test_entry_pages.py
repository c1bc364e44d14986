"""The diary pages work with plain forms: log, list, edit, delete, undo, same as last time."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import PainEntry
from tests.api.test_pages import form_token
from tests.conftest import ApiClient
from tests.factories import make_user

SCRIPT_NOTE = '<script>alert("x")</script> & "quotes"'


def hidden(html_text: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html_text)
    assert match, f"no hidden {name}"
    return match.group(1)


def log_form(client: FlaskClient, **fields: Any) -> Any:
    page = client.get("/entries/new").get_data(as_text=True)
    data = {"csrf_token": form_token(page), "id": hidden(page, "id"), **fields}
    return client.post("/entries/new", data=data)


def entries(app: Flask) -> list[PainEntry]:
    with app.app_context():
        rows = list(db.session.scalars(select(PainEntry)))
        for row in rows:
            _ = row.locations
        return rows


def test_log_page_has_map_scale_and_qualities(patient_api: ApiClient) -> None:
    page = patient_api.client.get("/entries/new").get_data(as_text=True)

    assert page.count('role="checkbox"') == 80
    assert 'aria-label="Right shoulder (front)"' in page
    assert page.count('name="intensity"') == 11
    assert 'value="burning"' in page
    assert "No pain" in page and "Worst imaginable" in page


def test_logging_with_the_plain_form(app: Flask, patient_api: ApiClient) -> None:
    response = log_form(
        patient_api.client,
        intensity="7",
        region=["front_shoulder_right", "front_hand_right"],
        quality=["burning"],
        note="After the physio.",
        **{
            "region_intensity.front_hand_right": "8",
            "region_quality.front_hand_right": "pins_and_needles",
        },
    )

    assert response.status_code == 302
    [entry] = entries(app)
    assert entry.intensity == 7
    assert entry.qualities == ["burning"]
    assert [(loc.region, loc.intensity, loc.qualities) for loc in entry.locations] == [
        ("front_shoulder_right", None, []),
        ("front_hand_right", 8, ["pins_and_needles"]),
    ]
    diary = patient_api.client.get("/entries").get_data(as_text=True)
    assert "After the physio." in diary
    assert "Right palm and fingers (8)" in diary


def test_pressing_save_twice_stores_one_entry(app: Flask, patient_api: ApiClient) -> None:
    client = patient_api.client
    page = client.get("/entries/new").get_data(as_text=True)
    data = {"csrf_token": form_token(page), "id": hidden(page, "id"), "intensity": "4"}

    client.post("/entries/new", data=data)
    client.post("/entries/new", data=data)

    assert len(entries(app)) == 1


def test_a_refused_form_keeps_what_was_typed(app: Flask, patient_api: ApiClient) -> None:
    response = log_form(patient_api.client, note="Words I do not want to lose", quality=["burning"])

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was saved yet" in page
    assert "Words I do not want to lose" in page
    assert re.search(r'value="burning" checked', page)
    assert entries(app) == []


def test_time_in_the_form_is_the_patients_local_time(app: Flask, patient_api: ApiClient) -> None:
    log_form(patient_api.client, intensity="3", recorded_at="2026-03-29T01:30")

    [entry] = entries(app)
    assert entry.recorded_at.isoformat() == "2026-03-29T00:30:00+00:00"  # Berlin, still winter time
    assert entry.local_date.isoformat() == "2026-03-29"


def test_a_note_with_script_is_escaped_on_every_page(app: Flask, patient_api: ApiClient) -> None:
    entry = patient_api.post(
        "/api/v1/patients/me/entries", json={"intensity": 5, "note": SCRIPT_NOTE}
    ).get_json()

    for path in ("/entries", f"/entries/{entry['id']}/edit", "/"):
        page = patient_api.client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page, path
    diary = patient_api.client.get("/entries").get_data(as_text=True)
    assert html.escape(SCRIPT_NOTE, quote=True) in diary or "&lt;script&gt;alert" in diary


def test_same_as_last_time_prefills_the_form(patient_api: ApiClient) -> None:
    patient_api.post(
        "/api/v1/patients/me/entries",
        json={
            "intensity": 6,
            "locations": [{"region": "front_knee_left"}],
            "qualities": ["aching"],
            "note": "not copied",
        },
    )

    page = patient_api.client.get("/entries/new?same=1").get_data(as_text=True)

    assert re.search(r'value="6" checked', page)
    assert re.search(r'value="front_knee_left" checked', page)
    assert re.search(r'value="aching" checked', page)
    assert "not copied" not in page


def test_editing_keeps_the_earlier_note(app: Flask, patient_api: ApiClient) -> None:
    entry = patient_api.post(
        "/api/v1/patients/me/entries", json={"intensity": 5, "note": "First version"}
    ).get_json()
    client = patient_api.client
    page = client.get(f"/entries/{entry['id']}/edit").get_data(as_text=True)
    assert "First version" in page

    response = client.post(
        f"/entries/{entry['id']}/edit",
        data={"csrf_token": form_token(page), "intensity": "3", "note": "Second version"},
    )

    assert response.status_code == 302
    revisions = patient_api.get(f"/api/v1/patients/me/entries/{entry['id']}/revisions").get_json()
    assert revisions["items"][0]["entry"]["note"] == "First version"
    assert patient_api.get(f"/api/v1/patients/me/entries/{entry['id']}").get_json()["note"] == (
        "Second version"
    )


def test_delete_and_undo_from_the_diary(app: Flask, patient_api: ApiClient) -> None:
    entry = patient_api.post("/api/v1/patients/me/entries", json={"intensity": 5}).get_json()
    client = patient_api.client
    token = form_token(client.get("/entries").get_data(as_text=True))

    deleted = client.post(f"/entries/{entry['id']}/delete", data={"csrf_token": token})
    banner = client.get(deleted.headers["Location"]).get_data(as_text=True)

    assert "Entry deleted." in banner
    assert f"/entries/{entry['id']}/restore" in banner
    client.post(f"/entries/{entry['id']}/restore", data={"csrf_token": token})
    assert patient_api.get(f"/api/v1/patients/me/entries/{entry['id']}").status_code == 200


def test_empty_diary_says_what_to_do(patient_api: ApiClient) -> None:
    page = patient_api.client.get("/entries").get_data(as_text=True)

    assert "Nothing logged yet" in page


def test_someone_elses_entry_pages_are_404(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_user(db.session, email="other@example.org")
        db.session.commit()
    other = ApiClient(app.test_client())
    other.login("other@example.org")
    entry = other.post("/api/v1/patients/me/entries", json={"intensity": 5}).get_json()
    token = form_token(patient_api.client.get("/entries").get_data(as_text=True))

    client = patient_api.client
    assert client.get(f"/entries/{entry['id']}/edit").status_code == 404
    assert (
        client.post(f"/entries/{entry['id']}/delete", data={"csrf_token": token}).status_code == 404
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PainEntry)) == 1


def test_diary_pages_need_sign_in(client: FlaskClient) -> None:
    response = client.get("/entries/new")

    assert response.status_code == 302
    assert "/sign-in?next=" in response.headers["Location"]
