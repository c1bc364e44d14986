"""Medications: their API, medications_taken and the check-in on entries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask

from diary.extensions import db
from diary.services import medications as medications_service
from tests.conftest import ApiClient
from tests.factories import make_user

MEDICATIONS = "/api/v1/patients/me/medications"
ENTRIES = "/api/v1/patients/me/entries"


def add(api: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "Pregabalin", "dose": "150 mg", "schedule": "morning and evening", **fields}
    response = api.post(MEDICATIONS, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def test_add_list_edit_and_remove_a_medication(patient_api: ApiClient) -> None:
    pregabalin = add(patient_api)
    add(patient_api, name="Amitriptyline", dose="25 mg", schedule="at night")
    path = f"{MEDICATIONS}/{pregabalin['id']}"

    stopped = patient_api.patch(path, json={"active": False})
    names = [m["name"] for m in patient_api.get(MEDICATIONS).get_json()["items"]]
    removed = patient_api.delete(path)

    assert pregabalin["active"] is True
    assert stopped.get_json()["active"] is False
    assert names == ["Amitriptyline", "Pregabalin"]  # active first
    assert removed.status_code == 204
    assert patient_api.get(path).status_code == 404
    assert [m["name"] for m in patient_api.get(MEDICATIONS).get_json()["items"]] == [
        "Amitriptyline"
    ]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 121},
        {"name": "Pregabalin", "active": "yes"},
        {"name": "Pregabalin", "dose": 150},
        {"name": "Pregabalin\u0000"},
        {"name": "Pregabalin", "colour": "blue"},
    ],
)
def test_invalid_medication_is_422(patient_api: ApiClient, body: dict[str, Any]) -> None:
    response = patient_api.post(MEDICATIONS, json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_entry_records_the_medications_taken(patient_api: ApiClient) -> None:
    pregabalin = add(patient_api)
    amitriptyline = add(patient_api, name="Amitriptyline")

    entry = patient_api.post(
        ENTRIES,
        json={"intensity": 4, "medications_taken": [pregabalin["id"], amitriptyline["id"]]},
    )

    assert entry.status_code == 201
    assert entry.get_json()["medications_taken"] == [pregabalin["id"], amitriptyline["id"]]
    stored = patient_api.get(f"{ENTRIES}/{entry.get_json()['id']}").get_json()
    assert stored["medications_taken"] == [pregabalin["id"], amitriptyline["id"]]


def test_entries_without_medications_have_an_empty_list(patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json={"intensity": 4}).get_json()

    assert entry["medications_taken"] == []
    assert entry["checkin"] is None


def test_unknown_medication_is_422_on_medications_taken(patient_api: ApiClient) -> None:
    response = patient_api.post(
        ENTRIES, json={"intensity": 4, "medications_taken": [str(uuid.uuid4())]}
    )

    assert response.status_code == 422
    assert "medications_taken" in response.get_json()["errors"]


def test_another_patients_medication_is_422(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        other = make_user(db.session, email="other@example.org")
        theirs = medications_service.create_medication(
            db.session, other, {"name": "Theirs"}, other.created_at
        )
        db.session.commit()
        theirs_id = str(theirs.id)

    response = patient_api.post(ENTRIES, json={"intensity": 4, "medications_taken": [theirs_id]})

    assert response.status_code == 422
    assert "medications_taken" in response.get_json()["errors"]
    assert patient_api.get(f"{MEDICATIONS}/{theirs_id}").status_code == 404


@pytest.mark.parametrize("value", [["not-a-uuid"], "abc", [1], None])
def test_malformed_medications_taken_is_422(patient_api: ApiClient, value: Any) -> None:
    response = patient_api.post(ENTRIES, json={"intensity": 4, "medications_taken": value})

    assert response.status_code == 422
    assert "medications_taken" in response.get_json()["errors"]


def test_a_removed_medication_stays_on_old_entries_but_not_new(patient_api: ApiClient) -> None:
    pregabalin = add(patient_api)
    entry = patient_api.post(
        ENTRIES, json={"intensity": 4, "medications_taken": [pregabalin["id"]]}
    ).get_json()
    patient_api.delete(f"{MEDICATIONS}/{pregabalin['id']}")

    edited = patient_api.patch(
        f"{ENTRIES}/{entry['id']}", json={"intensity": 3, "medications_taken": [pregabalin["id"]]}
    )
    new = patient_api.post(ENTRIES, json={"intensity": 4, "medications_taken": [pregabalin["id"]]})

    assert edited.status_code == 200
    assert edited.get_json()["medications_taken"] == [pregabalin["id"]]
    assert new.status_code == 422


def test_an_edit_that_names_an_unknown_medication_changes_nothing(patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json={"intensity": 4}).get_json()

    response = patient_api.patch(
        f"{ENTRIES}/{entry['id']}", json={"intensity": 9, "medications_taken": [str(uuid.uuid4())]}
    )

    assert response.status_code == 422
    after = patient_api.get(f"{ENTRIES}/{entry['id']}").get_json()
    assert (after["intensity"], after["version"]) == (4, 1)


def test_checkin_is_stored_with_the_entry(patient_api: ApiClient) -> None:
    checkin = {"dissociation": 0, "nausea": 2, "sleep": None, "urinary": False}

    entry = patient_api.post(ENTRIES, json={"intensity": 3, "checkin": checkin}).get_json()

    # a 0 and a false are answers; the unanswered item is left out
    assert entry["checkin"] == {"dissociation": 0, "nausea": 2, "urinary": False}


@pytest.mark.parametrize(
    "checkin",
    [
        {"nausea": 4},
        {"nausea": -1},
        {"nausea": 1.5},
        {"nausea": True},
        {"urinary": "yes"},
        {"urinary": 1},
        {"headache": 1},
        [1, 2],
    ],
)
def test_invalid_checkin_is_422(patient_api: ApiClient, checkin: Any) -> None:
    response = patient_api.post(ENTRIES, json={"intensity": 3, "checkin": checkin})

    assert response.status_code == 422
    assert "checkin" in response.get_json()["errors"]
