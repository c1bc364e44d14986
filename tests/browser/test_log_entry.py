"""A patient logs pain on the body map in Chromium and finds it in the diary."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from diary.extensions import db
from diary.models import PainEntry
from tests.factories import PASSWORD


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Pat")).to_be_visible()


def test_log_an_entry_by_tapping_the_body_map(
    app: Flask, live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    sign_in(page, live_server, patient["email"])
    page.get_by_role("link", name="Log pain", exact=True).first.click()
    expect(page.get_by_role("heading", name="Log pain")).to_be_visible()
    page.screenshot(path=artifact("log-page"))

    shoulder = page.locator('svg [data-region="front_shoulder_right"]')
    thigh = page.locator('svg [data-region="front_thigh_left"]')
    shoulder.click()
    thigh.click()
    expect(shoulder).to_have_attribute("aria-checked", "true")
    expect(thigh).to_have_attribute("aria-checked", "true")
    page.locator("label[for=intensity-7]").click()
    page.locator("label[for=quality-burning]").click()
    page.screenshot(path=artifact("log-page-filled"), full_page=True)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    entry_card = page.locator(".entry").first
    expect(entry_card).to_contain_text("7/10")
    expect(entry_card).to_contain_text("Right shoulder (front)")
    expect(entry_card).to_contain_text("Left thigh (front)")
    expect(entry_card).to_contain_text("Burning")
    page.screenshot(path=artifact("diary-page"))

    with app.app_context():
        [entry] = db.session.scalars(select(PainEntry)).all()
        assert entry.intensity == 7
        assert entry.qualities == ["burning"]
        assert {loc.region for loc in entry.locations} == {
            "front_shoulder_right",
            "front_thigh_left",
        }


def test_keyboard_alone_selects_a_region(
    live_server: str, page: Page, patient: dict[str, str]
) -> None:
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/entries/new")

    region = page.locator('svg [data-region="front_knee_right"]')
    region.focus()
    page.keyboard.press("Space")

    expect(region).to_have_attribute("aria-checked", "true")
    expect(page.locator("#region-choice-front_knee_right")).to_be_checked()
