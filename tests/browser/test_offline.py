"""Offline in Chromium: entries wait on the phone, go once the connection is back, nothing lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Route, expect

from tests.browser.offline import (
    Phone,
    eventually,
    log_pain,
    open_phone,
    ready_for_offline,
    sign_in,
    stored_entries,
)
from tests.factories import PASSWORD

STORAGE = """async () => {
  const databases = (await indexedDB.databases()).map((d) => d.name);
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) cached.push(new URL(request.url).pathname);
  }
  return { databases, caches: await caches.keys(), cached };
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Phone]:
    phone = open_phone(browser)
    yield phone
    phone.context.close()


def test_three_entries_logged_offline_reach_the_server_exactly_once(
    app: Flask, live_server: str, phone: Phone, patient: dict[str, str], artifact: Any
) -> None:
    page = phone.page
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/entries/new")
    ready_for_offline(page)

    phone.context.set_offline(True)
    status = page.locator("[data-save-status]")
    badge = page.locator("[data-outbox-badge]")
    for n, intensity in enumerate((3, 6, 8), start=1):
        log_pain(page, intensity, region="front_knee_right")
        expect(status).to_contain_text("Saved on this phone; it will be sent when you are back")
        expect(badge).to_have_text(f"{n} {'entry' if n == 1 else 'entries'} waiting to be sent")
    page.screenshot(path=artifact("log-page-offline"))

    page.reload()  # no network: the page comes from the service worker's cache
    expect(page.get_by_role("heading", name="Log pain")).to_be_visible()
    expect(badge).to_have_text("3 entries waiting to be sent")
    assert stored_entries(app) == 0

    phone.context.set_offline(False)
    expect(badge).to_be_hidden(timeout=15000)
    assert stored_entries(app) == 3
    page.goto(f"{live_server}/entries")
    expect(page.locator(".entry")).to_have_count(3)
    cached = page.evaluate(STORAGE)["cached"]
    assert "/entries/new" in cached and "/offline" in cached
    assert not [p for p in cached if p.startswith(("/api/", "/trends")) or p == "/entries"]
    assert phone.unexpected_errors() == []


def test_an_entry_the_server_refuses_needs_attention_and_can_be_fixed(
    app: Flask, live_server: str, phone: Phone, patient: dict[str, str], artifact: Any
) -> None:
    page = phone.page
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/entries/new")
    ready_for_offline(page)

    phone.context.set_offline(True)
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%dT10:00")  # noqa: DTZ005
    log_pain(page, 5, when=tomorrow)
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone")

    phone.context.set_offline(False)
    badge = page.locator("[data-outbox-badge]")
    expect(badge).to_have_text("1 entry needs your attention", timeout=15000)
    badge.click()

    attention = page.get_by_role("region", name="Needs your attention")
    expect(attention).to_contain_text("in the future")
    page.screenshot(path=artifact("outbox-attention"), full_page=True)
    attention.get_by_role("link", name="Fix").click()

    expect(page.locator("#form-errors")).to_contain_text("in the future")
    expect(page.locator("#intensity-5")).to_be_checked()
    page.get_by_label("Date and time").fill("")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.get_by_text("Saved. Thank you for logging.")).to_be_visible()
    expect(badge).to_be_hidden()
    assert eventually(page, lambda: stored_entries(app)) == 1
    refused = "Failed to load resource: the server responded with a status of 422"
    assert phone.unexpected_errors([refused]) == []


def test_signing_out_with_entries_waiting_asks_first_and_leaves_nothing(
    app: Flask, live_server: str, phone: Phone, patient: dict[str, str], artifact: Any
) -> None:
    page = phone.page
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/entries/new")
    ready_for_offline(page)
    phone.context.set_offline(True)
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%dT10:00")  # noqa: DTZ005
    log_pain(page, 4, when=tomorrow)  # the server will refuse it: it stays on the phone
    dialog = page.locator("#sign-out-dialog")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("dialog", name="Some entries are not sent yet")).to_contain_text(
        "1 entry saved on this phone could not reach your diary yet"
    )
    page.screenshot(path=artifact("sign-out-dialog"))
    dialog.get_by_role("button", name="Sign out and delete it").click()
    offline = page.get_by_role("dialog", name="Signing out needs a connection")
    expect(offline).to_contain_text("Nothing was removed")
    dialog.get_by_role("button", name="OK").click()

    phone.context.set_offline(False)
    expect(page.locator("[data-outbox-badge]")).to_have_text(
        "1 entry needs your attention", timeout=15000
    )
    page.get_by_role("button", name="Sign out").click()
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    dialog.get_by_role("button", name="Sign out and delete it").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    left = page.evaluate(STORAGE)
    assert "pain-diary" not in left["databases"]
    assert "pain-diary-pages" not in left["caches"]
    assert not [p for p in left["cached"] if p.startswith(("/entries", "/api/", "/trends"))]
    expect(page.locator("[data-outbox-badge]")).to_be_hidden()
    refused = "Failed to load resource: the server responded with a status of 422"
    assert phone.unexpected_errors([refused]) == []


def test_a_busy_server_is_retried_with_its_retry_after_until_the_entry_lands(
    app: Flask, live_server: str, phone: Phone, patient: dict[str, str]
) -> None:
    page = phone.page
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/entries/new")
    ready_for_offline(page)
    answers = [(503, "1"), (429, "1")]  # then the real server
    seen: list[int] = []

    def busy(route: Route) -> None:
        if route.request.method == "POST" and answers:
            status, retry_after = answers.pop(0)
            seen.append(status)
            route.fulfill(
                status=status,
                headers={"Retry-After": retry_after, "Content-Type": "application/problem+json"},
                body=json.dumps({"title": "Busy", "status": status, "detail": "Busy"}),
            )
        else:
            route.continue_()

    phone.context.route("**/api/v1/patients/me/entries", busy)
    log_pain(page, 7)
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone")

    expect(page.locator("[data-outbox-badge]")).to_be_hidden(timeout=20000)
    assert seen == [503, 429]
    assert eventually(page, lambda: stored_entries(app)) == 1
    busy_answers = [
        "Failed to load resource: the server responded with a status of 503",
        "Failed to load resource: the server responded with a status of 429",
    ]
    assert phone.unexpected_errors(busy_answers) == []


def test_entries_wait_through_an_ended_sign_in_and_go_after_the_next(
    app: Flask, live_server: str, phone: Phone, patient: dict[str, str]
) -> None:
    page = phone.page
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/entries/new")
    ready_for_offline(page)
    phone.context.set_offline(True)
    log_pain(page, 2)
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone")

    phone.context.clear_cookies()  # the session ended while the phone was offline
    phone.context.set_offline(False)
    badge = page.locator("[data-outbox-badge]")
    expect(badge).to_have_text("1 entry waiting to be sent. Sign in to send it", timeout=15000)
    assert stored_entries(app) == 0

    badge.click()
    page.get_by_label("E-mail address").fill(patient["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    expect(badge).to_be_hidden(timeout=15000)
    assert eventually(page, lambda: stored_entries(app)) == 1
    signed_out = "Failed to load resource: the server responded with a status of 401"
    assert phone.unexpected_errors([signed_out]) == []
