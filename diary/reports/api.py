"""The appointment report as a PDF: the patient's, or a care-team member's with `trends`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.errors import Forbidden
from diary.extensions import db
from diary.http import doc
from diary.questionnaires.labels import INSTRUMENTS
from diary.reference import QUALITIES_BY_CODE, REGIONS_BY_CODE
from diary.reports import charts
from diary.reports.pdf import render_pdf
from diary.schemas.reports import ReportQuerySchema
from diary.schemas.trends import check_range
from diary.services import report as report_service
from diary.services.access import Access
from diary.services.entries import local_date_of
from diary.services.response import MIN_DAYS_LOGGED
from diary.services.scoring import PGIC_LABELS
from diary.treatments.labels import KINDS, RESPONDERS, SEVERITIES, SIDE_EFFECTS, duration_label

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")


def allowed_sections(access: Access) -> tuple[str, ...]:
    """The sections this caller's link lets them read (every one, for the patient)."""
    return tuple(
        section
        for section in report_service.SECTIONS
        if access.allows(report_service.SECTION_SCOPES.get(section, "trends"))
    )


def chosen_sections(access: Access, requested: list[str] | None) -> tuple[str, ...]:
    """What was asked for (all that is allowed by default); 403 for a section beyond the link."""
    allowed = allowed_sections(access)
    if requested is None:
        return allowed
    beyond = [section for section in requested if section not in allowed]
    if beyond:
        raise Forbidden(f"Your link to this diary does not include: {', '.join(beyond)}.")
    return tuple(dict.fromkeys(requested))


def period(access: Access, query: dict[str, Any]) -> tuple[date, date]:
    """The asked period; by default the 30 days up to the patient's today."""
    to = query["to"] or local_date_of(utcnow(), access.patient.timezone)
    from_ = query["from_"] or report_service.default_period(to)[0]
    check_range(from_, to)
    return from_, to


def report_html(report: report_service.Report) -> str:
    """The report's HTML, laid out for A4 paper (the first page fits in one sheet)."""
    markers = [
        charts.Marker(row.treatment.local_date, str(row.number)) for row in report.treatments
    ]
    return render_template(
        "report/report.html",
        report=report,
        trend_svg=charts.trend_chart(report.trend.days, report.trend.rolling_mean_7d, markers),
        body_svg=charts.body_heat_map(report.shades),
        shade_colours=charts.SHADES,
        regions_by_code=REGIONS_BY_CODE,
        qualities_by_code=QUALITIES_BY_CODE,
        kinds=KINDS,
        responders=RESPONDERS,
        side_effects=SIDE_EFFECTS,
        severities=SEVERITIES,
        duration_label=duration_label,
        instruments=INSTRUMENTS,
        pgic_labels=PGIC_LABELS,
        min_days=MIN_DAYS_LOGGED,
    )


def pdf_response(access: Access, from_: date, to: date, sections: tuple[str, ...]) -> Response:
    """Build, draw and send the report; the read is audited for a care-team member."""
    report = report_service.build_report(db.session, access.patient, from_, to, sections, utcnow())
    pdf = render_pdf(report_html(report))
    db.session.commit()  # the audit record of a read of someone else's diary
    response = Response(pdf, mimetype="application/pdf")
    name = f"pain-report-{from_.isoformat()}-to-{to.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/patients/<pid>/report.pdf")
@login_required
@doc(
    "The appointment report as a PDF (needs trends; the notes section needs notes)",
    tags=["reports"],
    query=ReportQuerySchema,
    responses={200: "application/pdf", 403: "A section beyond the link's scopes"},
)
def report_pdf(pid: str) -> ResponseReturnValue:
    access = reach(pid, "trends", "read:report")
    query = ReportQuerySchema().load(request.args)
    sections = chosen_sections(access, query["sections"])
    from_, to = period(access, query)
    return pdf_response(access, from_, to, sections)
