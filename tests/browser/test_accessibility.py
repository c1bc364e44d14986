"""axe-core on every main page, tap targets of 44 px, and reflow at 320 px (200 % zoom)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from diary.database import utcnow
from diary.extensions import db
from diary.models import User
from diary.services import entries as entries_service
from tests.browser.offline import Phone, open_phone, ready_for_offline, sign_in

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
SIGNED_IN_PAGES = [
    "/",
    "/entries/new",
    "/entries",
    "/trends",
    "/settings",
    "/offline",
    "/outbox",
    "/trends/report",
    "/settings/import",
    "/settings/delete",
]

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id, impact: v.impact, where: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}"""

# Controls a finger must hit: at least 44 x 44 CSS px. Links inside running text are exempt
# (WCAG 2.5.5's "inline" exception), and so are the body map's shapes, whose equivalent is
# the list of places under the picture.
SMALL_TARGETS = """() => {
  const selector = [
    "button", "select", "textarea", "summary", "a.button", ".site-nav a", ".brand", ".outbox-badge",
    "input:not([type=hidden]):not(.chip-input):not(.scale-input):not(.body-map__input)",
    "label.chip", "label.scale-option", ".body-map__option",
  ].join(", ");
  const small = [];
  let measured = 0;
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    const shown = box.width && box.height && !element.closest("[hidden], dialog:not([open])");
    if (!shown) continue;
    measured += 1;
    if (box.width < 44 || box.height < 44) {
      const name = `${element.tagName.toLowerCase()}.${element.className}`;
      const text = element.textContent.trim().slice(0, 30);
      small.push(`${name} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return { measured, small };
}"""

OVERFLOW = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""


@pytest.fixture
def axe_phone(browser: Browser) -> Iterator[Phone]:
    # axe is injected as an inline script, which the app's CSP rightly forbids; only here.
    phone = open_phone(browser, bypass_csp=True)
    yield phone
    phone.context.close()


def _seed(app: Flask, email: str) -> None:
    with app.app_context():
        user = db.session.query(User).filter_by(email=email).one()
        now = utcnow()
        for day, (intensity, region, quality) in enumerate(
            [(6, "front_hand_right", "burning"), (4, "back_lower_back_left", "electric_shock")]
        ):
            data = {
                "intensity": intensity,
                "recorded_at": now - timedelta(days=day, hours=1),
                "locations": [{"region": region, "intensity": intensity, "qualities": [quality]}],
                "qualities": [quality],
                "note": "After the physio.",
            }
            entries_service.create_entry(db.session, user, user, data, now)
        db.session.commit()


def _audit(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=AXE)
    return page.evaluate(RUN_AXE)  # type: ignore[no-any-return]


def test_main_pages_pass_axe_and_keep_targets_large_and_text_reflowing(
    app: Flask, live_server: str, axe_phone: Phone, patient: dict[str, str]
) -> None:
    _seed(app, patient["email"])
    page = axe_phone.page
    violations: dict[str, Any] = {}
    small: dict[str, Any] = {}
    overflow: dict[str, int] = {}

    def check(path: str) -> None:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server}{path}")
        violations[path] = _audit(page)
        targets = page.evaluate(SMALL_TARGETS)
        assert targets["measured"] > 0, path
        small[path] = targets["small"]
        # 320 CSS px is a 640 px window at 200 % zoom (WCAG 1.4.10); load the page at that size
        # as a phone would, rather than resizing under the charts.
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{live_server}{path}")
        overflow[path] = page.evaluate(OVERFLOW)
        small[path] += [f"at 320 px: {t}" for t in page.evaluate(SMALL_TARGETS)["small"]]

    for path in ("/sign-in", "/sign-up"):
        check(path)
    sign_in(page, live_server, patient["email"])
    ready_for_offline(page)
    for path in SIGNED_IN_PAGES:
        check(path)

    assert {path: found for path, found in violations.items() if found} == {}
    assert {path: found for path, found in small.items() if found} == {}
    assert {path: px for path, px in overflow.items() if px > 0} == {}
    assert axe_phone.unexpected_errors() == []
