"""The appointment report: its figures, read back from the PDF, and who may have it."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path
from statistics import fmean
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from diary.database import utcnow
from diary.extensions import db
from diary.models import AuditEvent, User
from diary.services import entries as entries_service
from diary.services import questionnaires as questionnaires_service
from tests.conftest import ApiClient
from tests.factories import make_link, make_treatment, make_user

FROM, TO = date(2026, 3, 2), date(2026, 3, 15)  # 14 days
# (day offset from FROM, intensities that day); days 5 and 11 are not logged.
THIS_PERIOD = [(0, [6, 7]), (1, [6]), (2, [7, 8, 6]), (3, [5]), (4, [6]), (6, [3]), (7, [2, 3]),
               (8, [3]), (9, [4]), (10, [2]), (12, [3, 2]), (13, [4])]  # fmt: skip
PREVIOUS = [(-14, [7]), (-12, [8, 6]), (-9, [7]), (-6, [7]), (-3, [8]), (-1, [6, 6])]
FIRST_PAGE = ("summary", "chart", "bodymap", "qualities", "treatments", "questionnaires")


def daily_means(days: list[tuple[int, list[int]]]) -> list[float]:
    return [fmean(scores) for _, scores in days]


def build(app: Flask) -> str:
    """The patient's diary around the period, an infusion in it, a PEG; a clinician (trends)."""
    with app.app_context():
        s = db.session
        patient = s.scalar(select(User).where(User.email == "pat@example.org"))
        assert patient is not None  # the patient fixture's account
        patient.display_name = "Pat Report"
        zone = ZoneInfo(patient.timezone)
        for offset, scores in THIS_PERIOD + PREVIOUS:
            for hour, score in zip((9, 14, 20), scores, strict=False):
                moment = datetime.combine(FROM + timedelta(days=offset), time(hour), zone)
                entries_service.create_entry(
                    s,
                    patient,
                    patient,
                    {
                        "recorded_at": moment,
                        "intensity": score,
                        "locations": [{"region": "front_hand_right"}],
                        "qualities": ["burning"] if score > 4 else ["tingling"],
                        "note": f"note of day {offset}",
                    },
                    utcnow(),
                )
        make_treatment(s, patient, FROM + timedelta(days=5), dose=0.5, dose_unit="mg/kg/h")
        questionnaires_service.record(
            s,
            patient,
            patient,
            {
                "instrument": "peg",
                "answers": {"pain": 4, "enjoyment": 3, "general_activity": 5},
                "answered_at": datetime.combine(TO, time(18), zone),
            },
            utcnow(),
        )
        clinician = make_user(s, email="doc@example.org", display_name="Dr Ames")
        make_link(s, patient, clinician, ["trends"], role="clinician")
        s.commit()
        return str(patient.id)


def pdf_text(pdf: bytes, tmp_path: Path, name: str, first_page_only: bool = False) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    pages = ["-f", "1", "-l", "1"] if first_page_only else []
    done = subprocess.run(  # noqa: S603 -- a fixed tool on a file this test wrote
        ["/usr/bin/pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


def report_url(pid: str, sections: tuple[str, ...] = FIRST_PAGE) -> str:
    return (
        f"/api/v1/patients/{pid}/report.pdf?from={FROM.isoformat()}&to={TO.isoformat()}"
        f"&sections={','.join(sections)}"
    )


def test_the_first_page_holds_the_periods_figures_computed_here(
    app: Flask, patient_api: ApiClient, tmp_path: Path
) -> None:
    build(app)
    mean = fmean(daily_means(THIS_PERIOD))
    before = fmean(daily_means(PREVIOUS))
    # Away from any rounding edge, so the report's own rounding cannot tell a different story.
    assert (mean, before) == (pytest.approx(4.2917, abs=1e-3), pytest.approx(7.0))

    response = patient_api.get(report_url("me", (*FIRST_PAGE, "notes", "details")))

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="pain-report-2026-03-02-to-2026-03-15.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    first = pdf_text(response.data, tmp_path, "patient", first_page_only=True)
    assert "Pain report: Pat Report" in first
    assert f"{mean:.1f}" in first  # 4.3
    assert f"down {before - mean:.1f}" in first  # down 2.7
    assert f"from {before:.1f} in the 14 days before" in first
    assert f"{len(THIS_PERIOD)} of 14" in first
    assert f"({sum(len(s) for _, s in THIS_PERIOD)} entries)" in first
    assert "Ketamine infusion, 0.5 mg/kg/h" in first
    assert "PEG score (0 to 10): 4" in first
    assert "Right palm and fingers" in first and "Burning" in first
    rest = pdf_text(response.data, tmp_path, "all")
    assert "note of day 13" in rest and "Day by day" in rest
    assert "note of day 13" not in first


def test_a_clinician_with_trends_gets_the_same_report_and_the_read_is_audited(
    app: Flask, patient_api: ApiClient, tmp_path: Path
) -> None:
    pid = build(app)
    doctor = ApiClient(app.test_client())
    doctor.login("doc@example.org")

    mine = patient_api.get(report_url("me"))
    theirs = doctor.get(report_url(pid))

    assert (mine.status_code, theirs.status_code) == (200, 200)

    def without_time(text: str) -> str:
        return re.sub(r"made \d+ \w+ \d{4} \d\d:\d\d", "made …", text)

    assert without_time(pdf_text(theirs.data, tmp_path, "theirs")) == without_time(
        pdf_text(mine.data, tmp_path, "mine")
    )
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions == ["read:report"]


def test_the_notes_section_needs_the_notes_scope(app: Flask, patient_api: ApiClient) -> None:
    pid = build(app)
    doctor = ApiClient(app.test_client())
    doctor.login("doc@example.org")

    response = doctor.get(report_url(pid, ("summary", "notes")))

    assert response.status_code == 403
    assert "notes" in response.get_json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-03-15&to=2026-03-01",
        "sections=summary,horoscope",
        "sections=",
        "from=yesterday",
        "from=1900-01-01&to=2026-01-01",
        "to=0001-01-01",
        "from=9999-12-31",
    ],
)
def test_a_report_asked_for_wrongly_is_422(patient_api: ApiClient, query: str) -> None:
    response = patient_api.get(f"/api/v1/patients/me/report.pdf?{query}")
    trends = patient_api.get(f"/api/v1/patients/me/trends/summary?{query}")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    if "sections" not in query:  # the trends share the period's rules
        assert trends.status_code == 422


def test_the_report_page_offers_the_sections_the_reader_may_have(
    app: Flask, patient_api: ApiClient
) -> None:
    pid = build(app)
    doctor = ApiClient(app.test_client())
    doctor.login("doc@example.org")

    mine = patient_api.client.get("/trends/report").get_data(as_text=True)
    theirs = doctor.client.get(f"/trends/report?patient={pid}").get_data(as_text=True)
    empty = patient_api.client.get("/trends/report?from=2026-03-01&to=2026-03-14")

    assert 'value="notes"' in mine and 'value="notes"' not in theirs
    assert 'name="sections" value="summary" checked' in mine
    assert 'name="sections" value="notes">' in mine  # later pages are off by default
    assert f'name="patient" value="{pid}"' in theirs
    assert empty.status_code == 422
    assert "Choose at least one part for the report." in empty.get_data(as_text=True)
