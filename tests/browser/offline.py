"""Helpers for the offline-app tests: a phone with its console watched, waiting on the worker."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import PainEntry
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD


@dataclass
class Phone:
    """A browser context standing in for one phone, and what its pages logged as errors."""

    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    def unexpected_errors(self, expected: Iterable[str] = ()) -> list[str]:
        """Console errors other than the ones a test provokes on purpose (exact prefixes)."""
        allowed = tuple(expected)
        return [e for e in self.errors if not e.startswith(allowed)] if allowed else self.errors


def open_phone(browser: Browser, **options: Any) -> Phone:
    context = browser.new_context(viewport=PHONE, **options)
    page = context.new_page()
    phone = Phone(context, page)
    page.on("pageerror", lambda error: phone.errors.append(str(error)))
    page.on("console", lambda msg: phone.errors.append(msg.text) if msg.type == "error" else None)
    return phone


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


def ready_for_offline(page: Page) -> None:
    """Wait until the service worker controls the page and holds this person's log page."""
    expect(page.locator("html[data-offline-ready=true]")).to_have_count(1, timeout=15000)


def eventually(page: Page, check: Callable[[], Any], *, timeout: float = 10.0) -> Any:
    """Poll until check() is truthy; fail with its last value (no timing is asserted).

    Waiting through the page (not time.sleep) lets Playwright deliver events meanwhile.
    """
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        value = check()
    assert value, f"still {value!r} after {timeout} s"
    return value


def stored_entries(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PainEntry)) or 0


def log_pain(
    page: Page, intensity: int, *, region: str | None = None, when: str | None = None
) -> None:
    """Fill and save the log form (already open)."""
    page.locator(f"label[for=intensity-{intensity}]").click()
    if region:
        page.locator(f'svg [data-region="{region}"]').click()
    if when:
        page.get_by_text("Not right now? Change the time").click()
        page.get_by_label("Date and time").fill(when)
    page.get_by_role("button", name="Save", exact=True).click()
