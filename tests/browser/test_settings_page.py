"""The settings page in Chromium: notifications degrade with a clear message."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.offline import open_phone, ready_for_offline, sign_in


def test_turning_on_notifications_says_so_when_the_server_sends_none(
    live_server: str, browser: Browser, patient: dict[str, str], artifact: Any
) -> None:
    phone = open_phone(browser)
    phone.context.grant_permissions(["notifications"], origin=live_server)
    # A server without Web Push configured answers 404 for its key.
    phone.context.route(
        "**/api/v1/push/vapid-public-key",
        lambda route: route.fulfill(status=404, json={"title": "Not found", "status": 404}),
    )
    page = phone.page
    sign_in(page, live_server, patient["email"])
    ready_for_offline(page)
    page.get_by_role("navigation", name="Main").get_by_text("More").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()

    status = page.get_by_role("status")
    expect(status).to_have_text("Notifications are off for this phone.")
    page.get_by_role("button", name="Turn on notifications").click()
    expect(status).to_contain_text("This Pain Diary server does not send notifications")
    expect(page.get_by_role("button", name="Turn on notifications")).to_be_hidden()
    page.screenshot(path=artifact("settings-page"), full_page=True)
    phone.context.close()
    not_found = "Failed to load resource: the server responded with a status of 404"
    assert phone.unexpected_errors([not_found]) == []


def test_offline_page_offers_logging_only_when_the_log_page_is_kept(
    live_server: str, browser: Browser, patient: dict[str, str]
) -> None:
    phone = open_phone(browser)
    page = phone.page
    page.goto(f"{live_server}/sign-in")  # the worker installs; nobody is signed in
    expect(page.locator("html[data-offline-ready]")).to_have_count(0)
    assert page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    phone.context.set_offline(True)
    page.goto(f"{live_server}/trends")
    expect(page.get_by_role("heading", name="No connection just now")).to_be_visible()
    expect(page.get_by_text("works once you have signed in on this phone")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Log pain")).to_be_hidden()

    phone.context.set_offline(False)
    sign_in(page, live_server, patient["email"])
    ready_for_offline(page)
    phone.context.set_offline(True)
    page.goto(f"{live_server}/trends")
    page.get_by_role("main").get_by_role("link", name="Log pain").click()
    expect(page.get_by_role("heading", name="Log pain")).to_be_visible()
    phone.context.close()
    assert phone.unexpected_errors() == []
