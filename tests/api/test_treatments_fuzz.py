"""Whatever JSON a client sends to treatments, medications or questionnaires: never a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from tests.conftest import ApiClient
from tests.strategies import send

TREATMENTS = "/api/v1/patients/me/treatments"
MEDICATIONS = "/api/v1/patients/me/medications"
QUESTIONNAIRES = "/api/v1/patients/me/questionnaires"

KEYS = [
    "kind",
    "started_at",
    "ended_at",
    "dose",
    "dose_unit",
    "setting",
    "series_phase",
    "series_number",
    "adjuvants",
    "side_effects",
    "note",
    "code",
    "severity",
    "name",
    "schedule",
    "active",
    "instrument",
    "answers",
    "answered_at",
    "pain",
    "q4",
    "change",
    "x",
]
json_values = strategies.json_values(
    strategies.scalars(
        [
            "ketamine_infusion",
            "mg/kg/h",
            "mL/h",
            "nausea",
            "booster",
            "day_case",
            "peg",
            "npsi",
            "permanent",
            "2026-03-02T09:00:00+01:00",
            "2026-03-02T13:00:00Z",
            0.5,
            3,
        ],
        text_size=20,
    ),
    KEYS,
    list_size=3,
    object_size=5,
    max_leaves=10,
)
bodies = strategies.bodies(KEYS, json_values, max_size=8)
SETTINGS = strategies.fuzz_settings(100)


@SETTINGS
@given(body=bodies)
def test_treatment_create_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", TREATMENTS, body) in (201, 400, 422)


@SETTINGS
@given(body=bodies)
def test_treatment_patch_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    treatment = patient_api.post(TREATMENTS, json={"kind": "nerve_block"}).get_json()

    assert send(patient_api, "PATCH", f"{TREATMENTS}/{treatment['id']}", body) in (200, 400, 422)


@SETTINGS
@given(body=bodies)
def test_medication_create_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", MEDICATIONS, body) in (201, 400, 422)


@SETTINGS
@given(
    body=bodies
    | st.fixed_dictionaries(
        {"instrument": st.sampled_from(["peg", "bpi_sf", "npsi", "pgic"]), "answers": json_values}
    )
)
def test_questionnaire_never_answers_a_server_error(patient_api: ApiClient, body: Any) -> None:
    assert send(patient_api, "POST", QUESTIONNAIRES, body) in (201, 400, 422)
