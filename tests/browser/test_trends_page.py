"""The demo diary's trends page in Chromium: a chart, the same numbers in a table, words."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from diary.accounts.auth import password_hasher
from diary.database import utcnow
from diary.extensions import db
from diary.services import demo


def test_trends_page_of_the_demo_diary(
    app: Flask, live_server: str, page: Page, artifact: Any
) -> None:
    with app.app_context(), app.test_request_context():
        demo.seed(db.session, password_hasher(), "demo@example.org", "demo password 1", utcnow())
        db.session.commit()

    page.goto(f"{live_server}/sign-in?next=/trends")
    page.get_by_label("E-mail address").fill("demo@example.org")
    page.get_by_label("Password").fill("demo password 1")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Trends")).to_be_visible()
    expect(page.locator(".finding-text")).to_contain_text(
        "Your average pain over these three months was"
    )
    chart = page.locator("#trend-chart")
    expect(chart).to_be_visible()
    rows = page.locator("#trend-table tbody tr")
    expect(rows).to_have_count(91)
    page.wait_for_load_state("load")  # Chart.js is a deferred script: drawn by "load"
    plotted = page.evaluate(
        "() => window.Chart.getChart(document.getElementById('trend-chart')).data.labels.length"
    )
    assert plotted == 91
    page.screenshot(path=artifact("trends-page"))

    page.get_by_text("Show the numbers").first.click()
    expect(page.get_by_role("table", name="Pain by day")).to_be_visible()
    page.get_by_role("link", name="1 year").click()
    expect(page.locator("#trend-table caption")).to_contain_text("Pain by week")
    page.screenshot(path=artifact("trends-page-year"), full_page=True)
