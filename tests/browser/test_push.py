"""A reminder pushed to the service worker (through Chromium's DevTools protocol) is shown."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from playwright.sync_api import Browser

from tests.browser.offline import eventually, open_phone, ready_for_offline, sign_in

NOTIFICATIONS = """() => navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => ({
    title: n.title, body: n.body, url: n.data.url,
    actions: n.actions.map((a) => [a.action, a.title]),
  })))"""


def test_a_pushed_reminder_shows_a_notification_with_log_now(
    app: Flask, live_server: str, browser: Browser, patient: dict[str, str]
) -> None:
    phone = open_phone(browser)
    phone.context.grant_permissions(["notifications"], origin=live_server)
    page = phone.page
    sign_in(page, live_server, patient["email"])
    ready_for_offline(page)

    cdp = phone.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    scope = f"{live_server}/"
    ours = eventually(
        page, lambda: [r for r in registrations if r["scopeURL"] == scope and not r["isDeleted"]]
    )
    payload = {
        "title": "Pain Diary",
        "body": "A moment for your diary? Tap to note how you are.",
        "url": "/entries/new",
        "tag": "pain-diary-reminder",
    }
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server,
            "registrationId": ours[0]["registrationId"],
            "data": json.dumps(payload),
        },
    )

    shown = eventually(page, lambda: page.evaluate(NOTIFICATIONS))
    assert shown == [
        {
            "title": "Pain Diary",
            "body": "A moment for your diary? Tap to note how you are.",
            "url": "/entries/new",
            "actions": [["log", "Log now"]],
        }
    ]
    phone.context.close()
    assert phone.unexpected_errors() == []
