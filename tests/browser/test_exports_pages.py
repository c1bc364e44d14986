"""The patient's own copy in Chromium: downloads, the import with its mapping, deletion, report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, expect

from tests.browser.offline import open_phone, sign_in

OTHER_APP = (
    "Date;Time;Pain level;Notes\n"
    "01.03.2026;08:00;5;stiff, cold morning\n"
    "01.03.2026;21:30;7;\n"
    "02.03.2026;09:15;eleven;typo\n"
)


def test_a_patient_downloads_imports_asks_for_a_report_and_finds_deletion(
    app: Flask, live_server: str, browser: Browser, patient: dict[str, str], artifact: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    phone = open_phone(browser)
    page = phone.page
    sign_in(page, live_server, patient["email"])
    page.goto(f"{live_server}/settings")
    data = page.get_by_role("region", name="Your data")
    expect(data.get_by_role("link", name="Diary as a spreadsheet (CSV)")).to_be_visible()
    data.scroll_into_view_if_needed()
    page.screenshot(path=artifact("settings-your-data"), full_page=True)

    with page.expect_download() as download:
        data.get_by_role("link", name="Diary as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename.startswith("pain-diary-")

    page.get_by_role("link", name="Import from CSV").click()
    source = tmp_path / "other-app.csv"
    source.write_text(OTHER_APP, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(source))
    page.screenshot(path=artifact("import-upload"), full_page=True)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    expect(page.get_by_label("Pain, 0 to 10 (needed)")).to_have_value("Pain level")
    page.get_by_label("How are the dates written?").select_option("dmy")
    page.screenshot(path=artifact("import-mapping"), full_page=True)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("2 entries added to your diary.")).to_be_visible()
    expect(page.get_by_text("Line 4: intensity: Give a whole number from 0 to 10.")).to_be_visible()
    page.screenshot(path=artifact("import-done"), full_page=True)

    page.goto(f"{live_server}/trends/report")
    expect(page.get_by_role("heading", name="Report for the appointment")).to_be_visible()
    page.get_by_label("From").fill("2026-02-15")
    page.get_by_label("To").fill("2026-03-15")
    page.screenshot(path=artifact("report-form"), full_page=True)
    with page.expect_download() as report:
        page.get_by_role("button", name="Download the PDF").click()
    assert report.value.suggested_filename == "pain-report-2026-02-15-to-2026-03-15.pdf"

    page.goto(f"{live_server}/settings/delete")
    page.screenshot(path=artifact("delete-account"), full_page=True)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account and diary for good").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was deleted.")
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    page.screenshot(path=artifact("delete-account-refused"), full_page=True)
    phone.context.close()
    refused = "Failed to load resource: the server responded with a status of 403"
    assert phone.unexpected_errors([refused]) == []
