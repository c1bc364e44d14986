"""The patient's own copy over HTTP: CSV, FHIR, everything as JSON, import, and the CLI."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import PainEntry, User
from diary.reference import REGIONS_BY_CODE
from diary.services import care_team as care_service
from diary.services import questionnaires as questionnaires_service
from tests.conftest import ApiClient
from tests.factories import make_link, make_treatment, make_user

CSV = "/api/v1/patients/me/export.csv"
FHIR = "/api/v1/patients/me/export.fhir.json"
IMPORT = "/api/v1/patients/me/import.csv"


def log(api: ApiClient, **body: Any) -> Any:
    response = api.post("/api/v1/patients/me/entries", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_csv_export_is_a_private_download_with_formulas_defused(patient_api: ApiClient) -> None:
    log(patient_api, intensity=3, note='=HYPERLINK("http://x")', recorded_at="2026-03-01T08:00:00Z")

    response = patient_api.get(CSV)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="pain-diary-')
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert "\r\n" in text and "'=HYPERLINK" in text


def test_csv_import_takes_our_export_as_text_and_another_apps_by_mapping(
    patient_api: ApiClient,
) -> None:
    ours = "id,recorded_at_utc,intensity\r\n,2026-03-01T08:00:00Z,4\r\n,2026-03-02T08:00:00Z,x\r\n"

    answer = patient_api.post(IMPORT, data=ours, content_type="text/csv")
    theirs = patient_api.post(
        IMPORT,
        data={
            "file": (io.BytesIO("Day,Pain,Comment\r\n03/04/2026,7,élan\r\n".encode()), "app.csv"),
            "mapping": json.dumps({"date": "Day", "intensity": "Pain", "note": "Comment"}),
            "date_order": "mdy",
        },
        content_type="multipart/form-data",
    )

    assert answer.status_code == 200
    assert answer.get_json() == {
        "rows": 2,
        "kept": 1,
        "duplicates": 0,
        "invalid": [{"line": 3, "reasons": ["intensity: Give a whole number from 0 to 10."]}],
        "medications_added": [],
    }
    assert theirs.status_code == 200, theirs.get_json()
    assert theirs.get_json()["kept"] == 1
    entries = patient_api.get("/api/v1/patients/me/entries").get_json()["items"]
    assert entries[0]["note"] == "élan" and entries[0]["local_date"] == "2026-03-04"


def test_another_apps_csv_without_a_mapping_is_422(patient_api: ApiClient) -> None:
    response = patient_api.post(
        IMPORT, data="Date,Pain\r\n2026-01-01,3\r\n", content_type="text/csv"
    )

    assert response.status_code == 422
    assert "mapping" in response.get_json()["errors"]


def test_the_import_alone_takes_bodies_above_the_usual_limit(patient_api: ApiClient) -> None:
    rows = "".join(
        f",2026-01-01T{h:02d}:{m:02d}:00Z,3,{'x' * 900}\r\n" for h in range(2) for m in range(60)
    )
    big = "id,recorded_at_utc,intensity,note\r\n" + rows * 3  # about 330 kB: over 256 kB
    too_big = "id,recorded_at_utc,intensity,note\r\n" + "x" * (5 * 1024 * 1024 + 1)

    accepted = patient_api.post(IMPORT, data=big, content_type="text/csv")
    refused = patient_api.post(IMPORT, data=too_big, content_type="text/csv")
    elsewhere = patient_api.post(
        "/api/v1/patients/me/entries", data="x" * 300_000, content_type="application/json"
    )

    assert len(big) > 256 * 1024
    assert accepted.status_code == 200
    assert accepted.get_json()["kept"] == 120 and accepted.get_json()["duplicates"] == 240
    assert refused.status_code == 413
    assert refused.mimetype == "application/problem+json"
    assert elsewhere.status_code == 413


def test_fhir_bundle_validates_and_carries_the_codes(app: Flask, patient_api: ApiClient) -> None:
    from fhir.resources.R4B.bundle import Bundle

    log(
        patient_api,
        intensity=6,
        recorded_at="2026-03-01T08:00:00Z",
        locations=[{"region": "front_hand_right", "intensity": 5}, {"region": "back_calf_left"}],
        qualities=["burning", "electric_shock"],
        note="shocks",
    )
    with app.app_context():
        patient = db.session.scalar(select(User))
        make_treatment(db.session, patient, date(2026, 2, 20), dose=0.5, dose_unit="mg/kg/h")
        questionnaires_service.record(
            db.session,
            patient,
            patient,
            {"instrument": "peg", "answers": {"pain": 6, "enjoyment": 5, "general_activity": 4}},
            datetime.now(UTC),
        )
        db.session.commit()

    response = patient_api.get(FHIR)

    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    data = response.get_json()
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds.count("Patient") == 1 and "MedicationAdministration" in kinds
    assert "QuestionnaireResponse" in kinds
    pain = next(e["resource"] for e in data["entry"] if e["resource"].get("valueInteger") == 6)
    assert pain["code"]["coding"][0]["system"] == "http://loinc.org"
    assert pain["code"]["coding"][0]["code"] == "72514-3"
    assert pain["effectiveDateTime"] == "2026-03-01T08:00:00Z"
    snomed = {
        c["code"] for c in pain["bodySite"]["coding"] if c["system"] == "http://snomed.info/sct"
    }
    regions = ("front_hand_right", "back_calf_left")
    assert snomed == {REGIONS_BY_CODE[code].snomed for code in regions}
    assert all(code.isdigit() for code in snomed)
    qualities = {c["code"]["coding"][0]["code"] for c in pain["component"] if "valueBoolean" in c}
    assert qualities == {"burning", "electric_shock"}
    peg = [
        e["resource"] for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation" and "derivedFrom" in e["resource"]
    ]  # fmt: skip
    assert peg[0]["valueQuantity"]["value"] == 5.0
    infusion = next(
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "MedicationAdministration"
    )
    assert infusion["dosage"]["rateQuantity"]["code"] == "mg/kg/h"


def test_account_json_holds_everything_but_secrets(app: Flask, patient_api: ApiClient) -> None:
    log(patient_api, intensity=2, note="mine")
    with app.app_context():
        patient = db.session.scalar(select(User))
        clinician = make_user(db.session, email="doc@example.org", display_name="Dr Who")
        make_link(db.session, patient, clinician, ["trends"], role="clinician")
        db.session.commit()
    doc = ApiClient(app.test_client())
    doc.login("doc@example.org")
    assert (
        doc.get(
            f"/api/v1/patients/{patient_api.get('/api/v1/me').get_json()['id']}/trends/daily"
        ).status_code
        == 200
    )

    response = patient_api.get("/api/v1/me/export.json")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert data["account"]["email"] == "pat@example.org"
    assert "password_hash" not in data["account"]
    assert data["entries"][0]["note"] == "mine"
    assert data["care_links"]["shared_by_me"][0]["role"] == "clinician"
    assert "token_hash" not in data["care_links"]["shared_by_me"][0]
    assert data["audit_trail"]["reads_of_my_diary"][0]["action"] == "read:trends:daily"
    assert data["sessions"] and "token_hash" not in data["sessions"][0]


def test_exports_of_the_whole_diary_are_the_patients_alone(
    app: Flask, patient_api: ApiClient
) -> None:
    with app.app_context():
        patient = db.session.scalar(select(User))
        clinician = make_user(db.session, email="doc@example.org")
        make_link(db.session, patient, clinician, ["trends", "entries", "notes"], role="clinician")
        db.session.commit()
        pid = str(patient.id)
    doc = ApiClient(app.test_client())
    doc.login("doc@example.org")

    for path in ("export.csv", "export.fhir.json"):
        assert doc.get(f"/api/v1/patients/{pid}/{path}").status_code == 403
    assert (
        doc.post(
            f"/api/v1/patients/{pid}/import.csv", data="id\r\n", content_type="text/csv"
        ).status_code
        == 403
    )


def test_cli_imports_with_a_progress_bar_and_skips_what_it_already_has(
    app: Flask, patient: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "old-app.csv"
    source.write_text(
        "Date,Pain,Notes\n2026-03-01,4,first\n2026-03-02,eleven,bad\n2026-03-03,0,none at all\n",
        encoding="utf-8",
    )
    args = ["import-csv", str(source), "--email", patient["email"], "--map", "date=Date",
            "--map", "intensity=Pain", "--map", "note=Notes"]  # fmt: skip
    runner = app.test_cli_runner()

    first = runner.invoke(args=args)
    second = runner.invoke(args=args)

    assert first.exit_code == 1  # one invalid row
    assert "Importing old-app.csv" in first.output
    assert "2 kept, 0 already in the diary (skipped), 1 invalid, of 3 rows." in first.output
    assert "line 3: intensity: Give a whole number from 0 to 10." in first.output
    assert "0 kept, 2 already in the diary (skipped), 1 invalid, of 3 rows." in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PainEntry)) == 2


def test_cli_says_when_there_is_no_such_account(app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    source.write_text("id,recorded_at_utc,intensity\n", encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["import-csv", str(source), "--email", "no@x.org"])

    assert result.exit_code == 1
    assert "There is no account with the e-mail address no@x.org." in result.output


def test_entries_a_caregiver_logged_count_as_the_patients_in_the_export(
    app: Flask, patient_api: ApiClient
) -> None:
    with app.app_context():
        patient = db.session.scalar(select(User))
        helper = make_user(db.session, email="help@example.org")
        make_link(db.session, patient, helper, ["log_on_behalf"])
        db.session.commit()
        pid = str(patient.id)
    helper_api = ApiClient(app.test_client())
    helper_api.login("help@example.org")
    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert (
        helper_api.post(
            f"/api/v1/patients/{pid}/entries", json={"intensity": 5, "recorded_at": when}
        ).status_code
        == 201
    )

    rows = patient_api.get(CSV).get_data(as_text=True).strip().split("\r\n")

    assert len(rows) == 2
    _ = care_service  # the link was made directly; the service's rules are tested elsewhere
