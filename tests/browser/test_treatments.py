"""In Chromium on a phone: response card, two-tap infusion, check-in, questionnaires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from diary.extensions import db
from diary.models import PainEntry, Treatment, User
from diary.services import medications as medications_service
from tests.browser.test_log_entry import sign_in
from tests.factories import make_diary, make_treatment

TODAY = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()


def the_patient(email: str) -> User:
    return db.session.scalars(select(User).filter_by(email=email)).one()


def test_response_card_then_an_infusion_in_two_taps(
    app: Flask, live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    day0 = TODAY - timedelta(days=40)
    with app.app_context():
        user = the_patient(patient["email"])
        make_diary(db.session, user, day0 - timedelta(days=7), (7, 6))
        make_diary(db.session, user, day0 + timedelta(days=1), (21, 2), (14, 7))
        make_treatment(
            db.session,
            user,
            day0,
            ended_at=datetime.combine(day0, datetime.min.time(), ZoneInfo(user.timezone))
            + timedelta(hours=13),
            dose=0.5,
            dose_unit="mg/kg/h",
            setting="day_case",
            series_phase="booster",
            series_number=1,
            side_effects=[
                {"code": "dissociation", "severity": 2},
                {"code": "nausea", "severity": 1},
            ],
        )
        db.session.commit()
    sign_in(page, live_server, patient["email"])

    page.get_by_role("link", name="Had an infusion today?").click()  # tap 1, from the home page
    card = page.locator("article.treatment").first
    expect(card).to_contain_text("Ketamine infusion")
    expect(card.locator(".response")).to_contain_text("6.0")
    expect(card.locator(".response")).to_contain_text("2.0")
    expect(card.locator(".response")).to_contain_text("\u221266.7 %")
    expect(card).to_contain_text("Substantial")
    expect(card).to_contain_text("25 days")
    expect(card).to_contain_text("Feeling detached or unreal: moderate")
    expect(page.locator("#quick-dose")).to_have_value("0.5")
    card.screenshot(path=artifact("response-card"))
    page.screenshot(path=artifact("treatments-page"), full_page=True)

    page.get_by_role("button", name="I had a ketamine infusion today").click()  # tap 2

    expect(page.get_by_role("status")).to_contain_text("Saved: ketamine infusion today")
    expect(page.locator("article.treatment").first).to_contain_text("not enough data")
    page.screenshot(path=artifact("treatments-after-quick"))
    with app.app_context():
        newest = db.session.scalars(select(Treatment).order_by(Treatment.started_at.desc())).first()
        assert newest is not None
        assert newest.local_date == TODAY
        assert (newest.dose, newest.dose_unit, newest.duration_minutes) == (0.5, "mg/kg/h", 240)


def test_checkin_and_medications_on_the_log_page_after_an_infusion(
    app: Flask, live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    with app.app_context():
        user = the_patient(patient["email"])
        make_treatment(db.session, user, TODAY - timedelta(days=2))
        medications_service.create_medication(
            db.session, user, {"name": "Pregabalin", "dose": "150 mg"}, datetime.now(UTC)
        )
        db.session.commit()
    sign_in(page, live_server, patient["email"])
    page.get_by_role("link", name="Log pain", exact=True).first.click()

    checkin = page.locator("#section-checkin")
    expect(checkin).to_contain_text("After your infusion")
    page.locator("label[for=intensity-3]").click()
    page.locator("label[for^=medication-]").click()
    page.locator("label[for=checkin-dissociation-1]").click()
    page.locator("label[for=checkin-nausea-0]").click()
    page.locator("label[for=checkin-urinary-no]").click()
    checkin.screenshot(path=artifact("log-checkin"))
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.locator(".entry").first).to_contain_text("Took: Pregabalin")
    expect(page.locator(".entry").first).to_contain_text("feeling detached or unreal mild")
    with app.app_context():
        [entry] = db.session.scalars(select(PainEntry)).all()
        assert entry.checkin == {"dissociation": 1, "nausea": 0, "urinary": False}
        assert len(entry.medications_taken) == 1


def test_answer_the_peg_on_a_phone(
    app: Flask, live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    sign_in(page, live_server, patient["email"])
    page.get_by_role("navigation", name="Main").get_by_text("More").click()
    page.get_by_role("link", name="Questionnaires").click()
    page.get_by_role("link", name="Answer now: PEG").click()

    page.locator("label[for=pain-7]").click()
    page.locator("label[for=enjoyment-6]").click()
    page.locator("label[for=general_activity-8]").click()
    page.screenshot(path=artifact("questionnaire-peg"), full_page=True)
    page.get_by_role("button", name="Save answers").click()

    expect(page.get_by_role("status")).to_contain_text("are saved")
    expect(page.locator(".history")).to_contain_text("PEG score (0 to 10): 7")
    page.screenshot(path=artifact("questionnaires-page"), full_page=True)


def test_npsi_form_fits_a_phone(
    live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/questionnaires/npsi")

    expect(page.get_by_role("heading", name="Neuropathic Pain Symptom Inventory")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.screenshot(path=artifact("questionnaire-npsi"), full_page=True)
    assert overflow is False


def test_treatments_page_at_200_percent_zoom_needs_no_sideways_scroll(
    app: Flask, live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    day0 = TODAY - timedelta(days=20)
    with app.app_context():
        user = the_patient(patient["email"])
        make_diary(db.session, user, day0 - timedelta(days=7), (7, 6))
        make_diary(db.session, user, day0 + timedelta(days=1), (14, 3))
        make_treatment(db.session, user, day0, dose=0.5, dose_unit="mg/kg/h")
        db.session.commit()
    sign_in(page, live_server, patient["email"])
    page.set_viewport_size({"width": 195, "height": 422})  # 390 x 844 at 200 %

    for path in ("/treatments", "/treatments/new", "/questionnaires/bpi_sf"):
        page.goto(f"{live_server}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert wide is False, path
    page.goto(f"{live_server}/treatments")
    expect(page.locator("article.treatment").first).to_contain_text("continuing")
    page.locator("article.treatment").first.screenshot(path=artifact("response-card-zoom"))
