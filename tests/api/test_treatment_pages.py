"""The treatment, medication, questionnaire and check-in pages work with plain forms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select

from diary.extensions import db
from diary.models import PainEntry, QuestionnaireResponse, Treatment, User
from tests.api.test_entry_pages import hidden
from tests.api.test_pages import form_token
from tests.conftest import ApiClient
from tests.factories import make_diary, make_treatment, make_user

TODAY = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
DAY0 = TODAY - timedelta(days=60)


def the_patient() -> User:
    return db.session.scalars(select(User).filter_by(email="pat@example.org")).one()


def treatments(app: Flask) -> list[Treatment]:
    with app.app_context():
        return list(db.session.scalars(select(Treatment).order_by(Treatment.started_at)))


def page_of(api: ApiClient, path: str) -> str:
    response = api.client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_treatments_page_without_treatments_says_what_to_do(patient_api: ApiClient) -> None:
    page = page_of(patient_api, "/treatments")

    assert "No treatments yet" in page
    assert "Had an infusion today?" not in page  # nothing to repeat yet
    assert 'href="/questionnaires"' in page  # in the navigation
    assert 'href="/treatments/new"' in page


def test_add_a_treatment_with_the_form(app: Flask, patient_api: ApiClient) -> None:
    token = form_token(page_of(patient_api, "/treatments/new"))

    response = patient_api.client.post(
        "/treatments/new",
        data={
            "csrf_token": token,
            "kind": "ketamine_infusion",
            "started_at": "2026-03-02T09:00",
            "duration": "240",
            "dose": "0,5",  # a decimal comma is fine
            "dose_unit": "mg/kg/h",
            "setting": "day_case",
            "series_phase": "booster",
            "series_number": "2",
            "adjuvants": "midazolam 2 mg, ondansetron 4 mg",
            "effect.dissociation": "2",
            "effect.nausea": "0",
            "effect.other": "1",
            "effect_note": "Metallic taste",
        },
    )

    assert response.status_code == 302
    [treatment] = treatments(app)
    assert treatment.started_at.isoformat() == "2026-03-02T08:00:00+00:00"
    assert treatment.duration_minutes == 240
    assert (treatment.dose, treatment.dose_unit) == (0.5, "mg/kg/h")
    assert treatment.adjuvants == ["midazolam 2 mg", "ondansetron 4 mg"]
    assert treatment.side_effects == [
        {"code": "dissociation", "severity": 2},
        {"code": "other", "severity": 1, "note": "Metallic taste"},
    ]


def test_an_absurd_dose_comes_back_with_the_message(app: Flask, patient_api: ApiClient) -> None:
    token = form_token(page_of(patient_api, "/treatments/new"))

    response = patient_api.client.post(
        "/treatments/new",
        data={
            "csrf_token": token,
            "kind": "ketamine_infusion",
            "dose": "50",
            "dose_unit": "mg/kg/h",
            "note": "keep me",
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "more than any plausible dose" in page
    assert 'id="dose-error"' in page
    assert "keep me" in page
    assert treatments(app) == []


def test_a_dose_that_is_not_a_number_is_refused(patient_api: ApiClient) -> None:
    token = form_token(page_of(patient_api, "/treatments/new"))

    response = patient_api.client.post(
        "/treatments/new",
        data={"csrf_token": token, "kind": "nerve_block", "dose": "-3", "dose_unit": "mg"},
    )

    assert response.status_code == 422
    assert "Give the dose as a number" in response.get_data(as_text=True)


def test_i_had_an_infusion_today_repeats_the_last_one(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_treatment(
            db.session,
            the_patient(),
            TODAY - timedelta(days=28),
            dose=0.5,
            dose_unit="mg/kg/h",
            setting="day_case",
        )
        db.session.commit()
    page = page_of(patient_api, "/treatments")
    assert "I had a ketamine infusion today" in page
    assert re.search(r'id="quick-dose" name="dose"[^>]*value="0.5"', page)
    assert re.search(r'<option value="mg/kg/h" selected>', page)

    response = patient_api.client.post(
        "/treatments/quick",
        data={"csrf_token": form_token(page), "dose": "0.5", "dose_unit": "mg/kg/h"},
    )

    assert response.status_code == 302
    last, today = treatments(app)
    assert today.local_date == TODAY
    assert (today.kind, today.dose, today.dose_unit, today.setting) == (
        last.kind,
        last.dose,
        last.dose_unit,
        last.setting,
    )
    assert "Saved: ketamine infusion today" in page_of(patient_api, "/treatments")


def test_i_had_an_infusion_today_with_another_dose(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_treatment(db.session, the_patient(), DAY0, dose=0.5, dose_unit="mg/kg/h")
        db.session.commit()
    token = form_token(page_of(patient_api, "/treatments"))

    accepted = patient_api.client.post(
        "/treatments/quick", data={"csrf_token": token, "dose": "0.4", "dose_unit": "mg/kg/h"}
    )
    refused = patient_api.client.post(
        "/treatments/quick", data={"csrf_token": token, "dose": "40", "dose_unit": "mg/kg/h"}
    )

    assert accepted.status_code == 302
    assert treatments(app)[-1].dose == 0.4
    assert refused.status_code == 422
    assert "more than any plausible dose" in refused.get_data(as_text=True)
    assert len(treatments(app)) == 2


def test_response_card_shows_numbers_class_relief_and_side_effects(
    app: Flask, patient_api: ApiClient
) -> None:
    with app.app_context():
        patient = the_patient()
        make_diary(db.session, patient, DAY0 - timedelta(days=7), (7, 6))
        make_diary(db.session, patient, DAY0 + timedelta(days=1), (21, 2), (14, 7))
        make_treatment(
            db.session,
            patient,
            DAY0,
            dose=0.5,
            dose_unit="mg/kg/h",
            side_effects=[{"code": "dissociation", "severity": 2}],
        )
        db.session.commit()

    page = page_of(patient_api, "/treatments")
    card = page[page.index('class="card treatment"') :]

    assert "<strong>6.0</strong>" in card
    assert "<strong>2.0</strong>" in card
    assert "<strong>\u221266.7&nbsp;%</strong>" in card
    assert 'Substantial</span><span class="hint">pain down by 50\u00a0% or more' in card
    assert "<strong>25 days</strong>" in card
    assert "Feeling detached or unreal: moderate" in card
    assert "0.5 mg/kg/h" in card


def test_response_card_without_enough_days_says_so(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_treatment(db.session, the_patient(), TODAY - timedelta(days=2))
        db.session.commit()

    page = page_of(patient_api, "/treatments")

    assert "not enough data" in page
    assert "Not enough diary entries to tell" in page


def test_edit_and_delete_a_treatment(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        treatment_id = make_treatment(db.session, the_patient(), DAY0, dose=1, dose_unit="mg/kg").id
        db.session.commit()
    path = f"/treatments/{treatment_id}/edit"
    page = page_of(patient_api, path)
    assert re.search(r'name="dose"[^>]*value="1"', page)

    edited = patient_api.client.post(
        path,
        data={
            "csrf_token": form_token(page),
            "kind": "lidocaine_infusion",
            "started_at": page.split('name="started_at" value="')[1][:16],
            "dose": "1.5",
            "dose_unit": "mg/kg",
        },
    )
    deleted = patient_api.client.post(
        f"/treatments/{treatment_id}/delete", data={"csrf_token": form_token(page)}
    )

    assert edited.status_code == 302
    assert deleted.status_code == 302
    assert treatments(app) == []


def test_medications_page_adds_stops_and_removes(app: Flask, patient_api: ApiClient) -> None:
    client = patient_api.client
    token = form_token(page_of(patient_api, "/treatments/medications"))

    added = client.post(
        "/treatments/medications",
        data={"csrf_token": token, "name": "Pregabalin", "dose": "150 mg", "schedule": ""},
    )
    refused = client.post("/treatments/medications", data={"csrf_token": token, "name": " "})
    [medication] = patient_api.get("/api/v1/patients/me/medications").get_json()["items"]
    base = f"/treatments/medications/{medication['id']}"
    client.post(f"{base}/stop", data={"csrf_token": token})
    stopped = patient_api.get("/api/v1/patients/me/medications").get_json()["items"][0]
    client.post(f"{base}/remove", data={"csrf_token": token})

    assert added.status_code == 302
    assert refused.status_code == 422
    assert 'id="name-error"' in refused.get_data(as_text=True)
    assert medication["schedule"] is None
    assert stopped["active"] is False
    assert patient_api.get("/api/v1/patients/me/medications").get_json()["items"] == []


def test_log_page_offers_medications_only_when_there_are_some(
    app: Flask, patient_api: ApiClient
) -> None:
    assert 'name="medication"' not in page_of(patient_api, "/entries/new")
    pregabalin = patient_api.post(
        "/api/v1/patients/me/medications", json={"name": "Pregabalin", "dose": "150 mg"}
    ).get_json()
    page = page_of(patient_api, "/entries/new")
    assert "Medications taken" in page
    assert "Pregabalin 150 mg" in page

    patient_api.client.post(
        "/entries/new",
        data={
            "csrf_token": form_token(page),
            "id": hidden(page, "id"),
            "intensity": "4",
            "medications_shown": "1",
            "medication": pregabalin["id"],
        },
    )

    with app.app_context():
        [entry] = db.session.scalars(select(PainEntry)).all()
        assert entry.medications_taken == [pregabalin["id"]]
    assert "Took: Pregabalin" in page_of(patient_api, "/entries")


def test_same_as_last_time_ticks_the_medications_still_on_the_list(
    patient_api: ApiClient,
) -> None:
    meds = "/api/v1/patients/me/medications"
    kept = patient_api.post(meds, json={"name": "Pregabalin"}).get_json()
    gone = patient_api.post(meds, json={"name": "Tramadol"}).get_json()
    patient_api.post(
        "/api/v1/patients/me/entries",
        json={"intensity": 5, "medications_taken": [kept["id"], gone["id"]]},
    )
    patient_api.delete(f"{meds}/{gone['id']}")

    page = page_of(patient_api, "/entries/new?same=1")

    assert re.search(rf'value="{kept["id"]}" checked', page)
    assert gone["id"] not in page


def test_log_page_asks_the_checkin_in_the_week_after_an_infusion(
    app: Flask, patient_api: ApiClient
) -> None:
    assert "After your infusion" not in page_of(patient_api, "/entries/new")
    with app.app_context():
        make_treatment(db.session, the_patient(), TODAY - timedelta(days=3))
        db.session.commit()
    page = page_of(patient_api, "/entries/new")
    assert "After your infusion: a short check-in" in page

    patient_api.client.post(
        "/entries/new",
        data={
            "csrf_token": form_token(page),
            "id": hidden(page, "id"),
            "intensity": "3",
            "checkin_shown": "1",
            "checkin.dissociation": "0",
            "checkin.nausea": "2",
            "checkin.urinary": "no",
        },
    )

    with app.app_context():
        [entry] = db.session.scalars(select(PainEntry)).all()
        assert entry.checkin == {"dissociation": 0, "nausea": 2, "urinary": False}
    assert "After the infusion: feeling detached or unreal none; nausea moderate" in page_of(
        patient_api, "/entries"
    )


def test_no_checkin_eight_days_after_an_infusion(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_treatment(db.session, the_patient(), TODAY - timedelta(days=8))
        db.session.commit()

    assert "After your infusion" not in page_of(patient_api, "/entries/new")


def test_questionnaires_page_lists_the_four(patient_api: ApiClient) -> None:
    page = page_of(patient_api, "/questionnaires")

    for code in ("peg", "bpi_sf", "npsi", "pgic"):
        assert f'href="/questionnaires/{code}"' in page
    assert "need their licence" in page or "needs their licence" in page


def test_answer_the_bpi_with_the_form(app: Flask, patient_api: ApiClient) -> None:
    page = page_of(patient_api, "/questionnaires/bpi_sf")
    assert page.count('type="radio"') == 11 * 11

    response = patient_api.client.post(
        "/questionnaires/bpi_sf",
        data={
            "csrf_token": form_token(page),
            "worst": "8",
            "least": "3",
            "average": "5",
            "now": "6",
            "general_activity": "6",
            "mood": "4",
            "walking": "5",
            "sleep": "7",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        [stored] = db.session.scalars(select(QuestionnaireResponse)).all()
        assert stored.scores == {"severity": 5.5, "interference": 5.5}
    listing = page_of(patient_api, "/questionnaires")
    assert "Severity (0 to 10): <strong>5.5</strong>" in listing


def test_an_empty_questionnaire_is_refused_kindly(patient_api: ApiClient) -> None:
    token = form_token(page_of(patient_api, "/questionnaires/peg"))

    response = patient_api.client.post("/questionnaires/peg", data={"csrf_token": token})

    assert response.status_code == 422
    assert "Answer at least one question." in response.get_data(as_text=True)


def test_npsi_and_pgic_forms_offer_their_choices(patient_api: ApiClient) -> None:
    npsi = page_of(patient_api, "/questionnaires/npsi")
    pgic = page_of(patient_api, "/questionnaires/pgic")

    assert 'name="q4" id="q4-permanent" value="permanent"' in npsi
    assert 'name="q7" id="q7-gt_20" value="gt_20"' in npsi
    assert npsi.count('type="radio"') == 10 * 11 + 5 + 5
    assert pgic.count('name="change"') == 7
    assert "Very much improved" in pgic


def test_pages_for_someone_else_are_404(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        other = make_user(db.session, email="other@example.org")
        theirs = make_treatment(db.session, other, DAY0)
        db.session.commit()
        path = f"/treatments/{theirs.id}/edit"

    assert patient_api.client.get(path).status_code == 404


def test_treatment_pages_have_no_inline_styles_or_scripts(patient_api: ApiClient) -> None:
    for path in (
        "/treatments",
        "/treatments/new",
        "/treatments/medications",
        "/questionnaires",
        "/questionnaires/npsi",
    ):
        page = page_of(patient_api, path)
        assert "style=" not in page, path
        assert "<script>" not in page, path
