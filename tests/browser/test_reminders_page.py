"""A patient sets up a reminder on the phone-sized page; push says plainly why it cannot work."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from diary.extensions import db
from diary.models import ReminderSchedule
from tests.browser.conftest import PHONE
from tests.browser.test_log_entry import sign_in


def test_add_and_pause_a_reminder_on_a_phone(
    app: Flask, live_server: str, page: Page, patient: dict[str, str], artifact: Any
) -> None:
    sign_in(page, live_server, patient["email"])
    page.get_by_role("navigation", name="Main").get_by_text("More").click()
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", name="Reminders", exact=True)).to_be_visible()
    # The offline app's service worker is registered: the page offers to turn push on here.
    expect(page.locator("[data-push-status]")).to_contain_text("does not show reminders yet")
    expect(page.get_by_role("button", name="Turn on notifications here")).to_be_visible()
    page.screenshot(path=artifact("reminders-empty"), full_page=True)

    page.get_by_label("Time").fill("21:30")
    page.locator("label[for=day-5]").click()  # Saturday off
    page.locator("label[for=day-6]").click()  # Sunday off
    page.get_by_role("button", name="Add reminder").click()

    expect(page.get_by_role("status").first).to_contain_text("Reminder added for 21:30.")
    reminder = page.locator(".reminder").first
    expect(reminder).to_contain_text("21:30")
    expect(reminder).to_contain_text("Weekdays")
    page.screenshot(path=artifact("reminders-list"), full_page=True)

    page.get_by_role("button", name="Pause the 21:30 reminder").click()
    expect(page.locator(".reminder").first).to_contain_text("paused")
    with app.app_context():
        [schedule] = db.session.scalars(select(ReminderSchedule)).all()
        assert (schedule.enabled, schedule.days) == (False, [0, 1, 2, 3, 4])


def test_a_form_error_is_shown_next_to_the_days(
    live_server: str, browser: Browser, patient: dict[str, str], artifact: Any
) -> None:
    # Its own page: the refused form answers 422, which Chromium logs as a failed load.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/reminders")
    for day in range(7):
        page.locator(f"label[for=day-{day}]").click()
    page.get_by_role("button", name="Add reminder").click()

    expect(page.locator("#days-error")).to_have_text("Choose at least one day.")
    expect(page.get_by_label("Time")).to_have_value("20:00")
    page.screenshot(path=artifact("reminders-error"), full_page=True)
    context.close()
    assert script_errors == []
