"""The treatments API: record, list, edit, delete, validation, response and series."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from diary.extensions import db
from diary.models import User
from tests.conftest import ApiClient
from tests.factories import make_diary, make_treatment, make_user

TREATMENTS = "/api/v1/patients/me/treatments"
TODAY = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
DAY0 = TODAY - timedelta(days=60)


def infusion(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "ketamine_infusion",
        "started_at": "2026-03-02T09:00:00+01:00",
        "ended_at": "2026-03-02T13:00:00+01:00",
        "dose": 0.5,
        "dose_unit": "mg/kg/h",
        "setting": "day_case",
        "series_phase": "booster",
        "series_number": 2,
        "adjuvants": ["ondansetron 4 mg"],
        "side_effects": [
            {"code": "dissociation", "severity": 2},
            {"code": "nausea", "severity": 0},
            {"code": "other", "severity": 1, "note": "Metallic taste"},
        ],
        "note": "Felt floaty for an hour.",
        **fields,
    }


def the_patient(app: Flask, email: str = "pat@example.org") -> User:
    user = db.session.query(User).filter_by(email=email).one()
    return user


def test_record_an_infusion(patient_api: ApiClient, patient: dict[str, str]) -> None:
    response = patient_api.post(TREATMENTS, json=infusion())

    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(body["id"])
    assert body["patient_id"] == body["author_id"] == patient["id"]
    assert body["started_at"] == "2026-03-02T08:00:00Z"
    assert body["local_date"] == "2026-03-02"
    assert body["duration_minutes"] == 240
    assert (body["dose"], body["dose_unit"]) == (0.5, "mg/kg/h")
    assert body["side_effects"] == [
        {"code": "dissociation", "severity": 2, "note": None},
        {"code": "nausea", "severity": 0, "note": None},
        {"code": "other", "severity": 1, "note": "Metallic taste"},
    ]
    assert body["adjuvants"] == ["ondansetron 4 mg"]


def test_only_the_kind_is_required(patient_api: ApiClient) -> None:
    body = patient_api.post(TREATMENTS, json={"kind": "physiotherapy"}).get_json()

    assert body["dose"] is None
    assert body["side_effects"] == []
    assert datetime.fromisoformat(body["started_at"]) <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"dose": -1}, "dose"),
        ({"dose": 0}, "dose"),
        ({"dose": 50}, "dose"),  # 50 mg/kg/h of ketamine: a typo, not a dose
        ({"dose": 6000, "dose_unit": "mg"}, "dose"),
        ({"dose": 1e300}, "dose"),
        ({"dose": "0.5"}, "dose"),
        ({"dose": True}, "dose"),
        ({"dose_unit": "g"}, "dose_unit"),
        ({"dose_unit": "ml/h"}, "dose_unit"),
        ({"dose_unit": None}, "dose_unit"),
        ({"dose": None}, "dose"),
        ({"kind": "reiki"}, "kind"),
        ({"ended_at": "2026-03-02T08:00:00+01:00"}, "ended_at"),
        ({"ended_at": "2026-03-20T08:00:00+01:00"}, "ended_at"),
        ({"started_at": "2999-01-01T00:00:00Z", "ended_at": None}, "started_at"),
        ({"setting": "spa"}, "setting"),
        ({"series_phase": None}, "series_phase"),
        ({"series_number": 0}, "series_number"),
        ({"side_effects": [{"code": "nausea", "severity": 4}]}, "side_effects"),
        ({"side_effects": [{"code": "itch", "severity": 1}]}, "side_effects"),
        ({"side_effects": [{"code": "nausea"}]}, "side_effects"),
        (
            {
                "side_effects": [
                    {"code": "nausea", "severity": 1},
                    {"code": "nausea", "severity": 2},
                ]
            },
            "side_effects",
        ),
        ({"adjuvants": ["x" * 81]}, "adjuvants"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_invalid_treatment_is_422_on_the_field(
    patient_api: ApiClient, fields: dict[str, Any], field: str
) -> None:
    response = patient_api.post(TREATMENTS, json=infusion(**fields))

    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_nan_dose_is_422(patient_api: ApiClient) -> None:
    raw = json.dumps(infusion(dose=float("nan")))

    response = patient_api.post(TREATMENTS, data=raw, content_type="application/json")

    assert response.status_code == 422
    assert "dose" in response.get_json()["errors"]


def test_list_newest_first_and_by_kind(patient_api: ApiClient) -> None:
    patient_api.post(TREATMENTS, json=infusion(started_at="2026-01-05T09:00:00Z", ended_at=None))
    patient_api.post(TREATMENTS, json={"kind": "nerve_block", "started_at": "2026-02-01T09:00:00Z"})
    patient_api.post(TREATMENTS, json=infusion(started_at="2026-03-05T09:00:00Z", ended_at=None))

    items = patient_api.get(TREATMENTS).get_json()["items"]
    ketamine = patient_api.get(f"{TREATMENTS}?kind=ketamine_infusion").get_json()["items"]

    assert [i["local_date"] for i in items] == ["2026-03-05", "2026-02-01", "2026-01-05"]
    assert [i["local_date"] for i in ketamine] == ["2026-03-05", "2026-01-05"]
    assert patient_api.get(f"{TREATMENTS}?kind=reiki").status_code == 422


def test_patch_changes_fields_and_checks_the_combination(patient_api: ApiClient) -> None:
    created = patient_api.post(TREATMENTS, json=infusion()).get_json()
    path = f"{TREATMENTS}/{created['id']}"

    changed = patient_api.patch(path, json={"dose": 0.3, "side_effects": []})
    too_much = patient_api.patch(path, json={"dose_unit": "mg/kg/h", "dose": 12})
    wrong_unit = patient_api.patch(path, json={"dose_unit": "mL/h"})
    unit_alone = patient_api.patch(path, json={"dose": None})

    assert changed.status_code == 200
    assert changed.get_json()["dose"] == 0.3
    assert changed.get_json()["side_effects"] == []
    assert too_much.status_code == 422
    assert "dose" in too_much.get_json()["errors"]
    assert wrong_unit.status_code == 200  # 0.3 mL/h is plausible
    assert unit_alone.status_code == 422
    assert patient_api.patch(path, json={}).status_code == 422
    assert patient_api.get(path).get_json()["dose_unit"] == "mL/h"


def test_patch_moving_the_start_moves_the_local_date(patient_api: ApiClient) -> None:
    created = patient_api.post(TREATMENTS, json=infusion(ended_at=None)).get_json()

    moved = patient_api.patch(
        f"{TREATMENTS}/{created['id']}", json={"started_at": "2026-03-01T23:30:00Z"}
    )

    assert moved.get_json()["local_date"] == "2026-03-02"  # 00:30 in Berlin


def test_delete_then_it_is_gone(patient_api: ApiClient) -> None:
    created = patient_api.post(TREATMENTS, json=infusion()).get_json()
    path = f"{TREATMENTS}/{created['id']}"

    assert patient_api.delete(path).status_code == 204
    assert patient_api.get(path).status_code == 404
    assert patient_api.get(f"{path}/response").status_code == 404


def test_another_patients_treatment_is_not_found(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        other = make_user(db.session, email="other@example.org")
        theirs = make_treatment(db.session, other, DAY0)
        db.session.commit()
        other_id, theirs_id = other.id, theirs.id
    path = f"{TREATMENTS}/{theirs_id}"

    assert patient_api.get(path).status_code == 404
    assert patient_api.get(f"{path}/response").status_code == 404
    assert patient_api.patch(path, json={"dose": 1}).status_code == 404
    assert patient_api.delete(path).status_code == 404
    assert patient_api.get(f"/api/v1/patients/{other_id}/treatments").status_code == 404
    assert (
        patient_api.post(f"/api/v1/patients/{other_id}/treatments", json=infusion()).status_code
        == 404
    )


def test_signed_out_is_401(api: ApiClient) -> None:
    assert api.get(TREATMENTS).status_code == 401
    assert api.post(TREATMENTS, json=infusion()).status_code == 401


def test_response_of_the_hand_computed_diary(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        patient = the_patient(app)
        make_diary(db.session, patient, DAY0 - timedelta(days=7), (7, 6))
        make_diary(db.session, patient, DAY0 + timedelta(days=1), (21, 2), (14, 7))
        treatment = make_treatment(db.session, patient, DAY0, dose=0.5, dose_unit="mg/kg/h")
        db.session.commit()
        path = f"{TREATMENTS}/{treatment.id}/response"

    response = patient_api.get(path)

    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in ("baseline", "after", "change_pct", "responder")} == {
        "baseline": 6.0,
        "after": 2.0,
        "change_pct": -66.7,
        "responder": "substantial",
    }
    assert body["relief_days"] == 25
    assert body["relief_ended_on"] == (DAY0 + timedelta(days=25)).isoformat()
    assert body["insufficient_data"] == []
    assert body["message"] == "Relief lasted 25 days (pain back above 70 % of the baseline)."


def test_response_with_too_few_days_says_so(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        patient = the_patient(app)
        make_diary(db.session, patient, DAY0 - timedelta(days=3), (3, 6))
        make_diary(db.session, patient, DAY0 + timedelta(days=1), (7, 2))
        treatment = make_treatment(db.session, patient, DAY0)
        db.session.commit()
        path = f"{TREATMENTS}/{treatment.id}/response"

    body = patient_api.get(path).get_json()

    assert body["baseline"] is None
    assert body["change_pct"] is None
    assert body["responder"] is None
    assert body["relief_days"] is None
    assert body["after"] == 2.0
    assert body["insufficient_data"] == ["baseline"]
    assert body["baseline_days"] == 3
    assert body["min_days_logged"] == 4
    assert "fewer than 4 days" in body["message"]


def test_series_median_and_booster_window(app: Flask, patient_api: ApiClient) -> None:
    start = TODAY - timedelta(days=130)
    with app.app_context():
        patient = the_patient(app)
        make_diary(db.session, patient, start - timedelta(days=7), (7, 6))
        for low_days in (17, 24, 20):
            make_treatment(db.session, patient, start)
            make_diary(db.session, patient, start + timedelta(days=1), (low_days, 2), (14, 7))
            latest = start
            start += timedelta(days=low_days + 14 + 1)
        db.session.commit()

    body = patient_api.get(f"{TREATMENTS}/series?kind=ketamine_infusion").get_json()

    assert body["median_relief_days"] == 25
    assert body["measured"] == body["treatments"] == 3
    assert body["booster_window"] == {
        "from_day": 18,
        "to_day": 24,
        "from": (latest + timedelta(days=18)).isoformat(),
        "to": (latest + timedelta(days=24)).isoformat(),
    }
    assert body["insufficient_data"] is False


def test_series_without_measured_relief_says_so(patient_api: ApiClient) -> None:
    patient_api.post(TREATMENTS, json=infusion())

    body = patient_api.get(f"{TREATMENTS}/series").get_json()

    assert body["kind"] == "ketamine_infusion"
    assert body["median_relief_days"] is None
    assert body["booster_window"] is None
    assert body["insufficient_data"] is True
    assert "at least 2" in body["message"]
