"""The questionnaires API: answers in, scores by the published rules out."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from diary.extensions import db
from diary.services import questionnaires as questionnaires_service
from tests.conftest import ApiClient
from tests.factories import make_user
from tests.unit.test_scoring import BPI_FULL, NPSI_FULL

QUESTIONNAIRES = "/api/v1/patients/me/questionnaires"


def answer(api: ApiClient, instrument: str, answers: dict[str, Any], **more: Any) -> Any:
    return api.post(QUESTIONNAIRES, json={"instrument": instrument, "answers": answers, **more})


def test_peg_scores(patient_api: ApiClient) -> None:
    response = answer(patient_api, "peg", {"pain": 7, "enjoyment": 6, "general_activity": 8})

    assert response.status_code == 201
    body = response.get_json()
    assert body["instrument"] == "peg"
    assert body["scores"] == {"peg": 7.0}
    assert response.headers["Location"].endswith(body["id"])


def test_bpi_scores(patient_api: ApiClient) -> None:
    body = answer(patient_api, "bpi_sf", BPI_FULL).get_json()

    assert body["scores"] == {"severity": 5.5, "interference": 5.57}
    assert body["answers"] == BPI_FULL


def test_bpi_interference_from_four_of_seven_and_not_three(patient_api: ApiClient) -> None:
    four = {"worst": 8, "general_activity": 6, "mood": 4, "walking": 5, "sleep": 7}
    three = {"general_activity": 6, "mood": 4, "walking": 5, "sleep": None}

    scored = answer(patient_api, "bpi_sf", four).get_json()["scores"]
    unscored = answer(patient_api, "bpi_sf", three).get_json()

    assert scored == {"severity": None, "interference": 5.5}
    assert unscored["scores"] == {"severity": None, "interference": None}
    assert unscored["answers"] == {"general_activity": 6, "mood": 4, "walking": 5}


def test_npsi_scores(patient_api: ApiClient) -> None:
    body = answer(patient_api, "npsi", NPSI_FULL).get_json()

    assert body["scores"] == {
        "total": 59,
        "burning": 8.0,
        "pressing": 5.0,
        "paroxysmal": 8.0,
        "evoked": 5.0,
        "paresthesia": 5.0,
    }


def test_pgic_score(patient_api: ApiClient) -> None:
    assert answer(patient_api, "pgic", {"change": 2}).get_json()["scores"] == {"pgic": 2}


@pytest.mark.parametrize(
    ("instrument", "answers"),
    [
        ("peg", {}),
        ("peg", {"pain": None}),
        ("peg", {"pain": 11}),
        ("peg", {"pain": -1}),
        ("peg", {"pain": 7.5}),
        ("peg", {"pain": "7"}),
        ("peg", {"pain": True}),
        ("peg", {"pain": 5, "mood": 3}),
        ("bpi_sf", {"walking": 10, "work": 10.0}),
        ("npsi", {"q4": "forever"}),
        ("npsi", {"q7": 12}),
        ("npsi", {"q13": 1}),
        ("pgic", {}),
        ("pgic", {"change": 0}),
        ("pgic", {"change": 8}),
        ("pgic", {"change": None}),
    ],
)
def test_invalid_answers_are_422_under_answers(
    patient_api: ApiClient, instrument: str, answers: dict[str, Any]
) -> None:
    response = answer(patient_api, instrument, answers)

    assert response.status_code == 422, response.get_json()
    assert "answers" in response.get_json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        {"instrument": "sf36", "answers": {}},
        {"answers": {"pain": 1}},
        {"instrument": "peg"},
        {"instrument": "peg", "answers": [1, 2, 3]},
        {"instrument": "peg", "answers": {"pain": 1}, "answered_at": "yesterday"},
        {"instrument": "peg", "answers": {"pain": 1}, "answered_at": "2999-01-01T00:00:00Z"},
    ],
)
def test_invalid_questionnaire_is_422(patient_api: ApiClient, body: dict[str, Any]) -> None:
    response = patient_api.post(QUESTIONNAIRES, json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_list_newest_first_filter_get_and_delete(patient_api: ApiClient) -> None:
    older = answer(
        patient_api, "peg", {"pain": 5}, answered_at="2026-03-01T10:00:00+01:00"
    ).get_json()
    answer(patient_api, "pgic", {"change": 3}, answered_at="2026-03-08T10:00:00+01:00")

    everything = patient_api.get(QUESTIONNAIRES).get_json()["items"]
    pegs = patient_api.get(f"{QUESTIONNAIRES}?instrument=peg").get_json()["items"]
    path = f"{QUESTIONNAIRES}/{older['id']}"

    assert [i["instrument"] for i in everything] == ["pgic", "peg"]
    assert [i["id"] for i in pegs] == [older["id"]]
    assert patient_api.get(path).get_json()["local_date"] == "2026-03-01"
    assert patient_api.delete(path).status_code == 204
    assert patient_api.get(path).status_code == 404
    assert patient_api.get(f"{QUESTIONNAIRES}?instrument=sf36").status_code == 422


def test_another_patients_questionnaire_is_not_found(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        other = make_user(db.session, email="other@example.org")
        theirs = questionnaires_service.record(
            db.session,
            other,
            other,
            {"instrument": "pgic", "answers": {"change": 1}},
            other.created_at,
        )
        db.session.commit()
        path = f"{QUESTIONNAIRES}/{theirs.id}"
        elsewhere = f"/api/v1/patients/{other.id}/questionnaires"

    assert patient_api.get(path).status_code == 404
    assert patient_api.delete(path).status_code == 404
    assert patient_api.get(elsewhere).status_code == 404
