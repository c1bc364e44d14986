"""A new person signs up, logs pain on the body map, and finds it in the diary and the trends."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect


def test_sign_up_log_on_the_body_map_then_diary_and_trends(
    live_server: str, page: Page, artifact: Any
) -> None:
    page.goto(f"{live_server}/sign-up")
    page.get_by_label("Your name").fill("Alex")
    page.get_by_label("E-mail address").fill("alex@example.org")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_label("Your time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Create my diary").click()
    expect(page.get_by_role("heading", name="Hello, Alex")).to_be_visible()

    page.get_by_role("link", name="Log pain", exact=True).first.click()
    hand = page.locator('svg [data-region="front_hand_right"]')
    hand.click()
    expect(hand).to_have_attribute("aria-checked", "true")
    page.get_by_text("Add detail for each place (optional)").click()
    detail = page.get_by_role("group", name="Right palm and fingers")
    detail.get_by_label("How much here (0 to 10)").select_option("8")
    detail.get_by_role("group", name="How it feels in the right palm and fingers").get_by_text(
        "Burning"
    ).click()
    page.locator("label[for=intensity-6]").click()
    page.locator("label[for=quality-pins_and_needles]").click()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.get_by_text("Saved. Thank you for logging.")).to_be_visible()
    entry = page.locator(".entry").first
    expect(entry).to_contain_text("6/10")
    expect(entry).to_contain_text("Right palm and fingers (8)")
    expect(entry).to_contain_text("Pins and needles")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", name="Trends")).to_be_visible()
    page.get_by_text("Show the numbers").first.click()
    table = page.get_by_role("table", name="Pain by day")
    expect(table.locator("tbody tr").last).to_contain_text("6.0")
    expect(page.get_by_role("table", name="Body regions in this range")).to_contain_text(
        "Right palm and fingers"
    )
    page.screenshot(path=artifact("trends-after-first-entry"), full_page=True)
