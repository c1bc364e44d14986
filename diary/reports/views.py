"""The page that asks for the appointment report: a period and sections, then the PDF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.errors import Forbidden
from diary.extensions import db
from diary.reports.api import allowed_sections, chosen_sections, pdf_response
from diary.schemas.reports import ReportQuerySchema
from diary.schemas.trends import check_range
from diary.services.access import Access
from diary.services.entries import local_date_of

bp = Blueprint("reports", __name__)

SECTION_LABELS = {
    "summary": "Average pain, its change and days logged",
    "chart": "Chart of pain over time, with treatments marked",
    "bodymap": "Body map: where it hurts",
    "qualities": "How it feels: the most common qualities",
    "treatments": "Treatment response",
    "questionnaires": "Latest questionnaire scores",
    "notes": "Notes (on a later page)",
    "details": "Day by day, and treatment details (later pages)",
}
# Off by default: a one-page report is what fits an appointment.
LATER_PAGES = ("notes", "details")


def _errors(error: ValidationError) -> dict[str, str]:
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    first = {}
    for key, value in messages.items():
        found = value
        while isinstance(found, list | dict) and found:
            found = found[0] if isinstance(found, list) else next(iter(found.values()))
        first["from" if key == "from_" else str(key)] = str(found)
    return first


def _form(access: Access, values: dict[str, Any], errors: dict[str, str]) -> ResponseReturnValue:
    html = render_template(
        "report/form.html",
        access=access,
        patient=access.patient,
        sections=allowed_sections(access),
        labels=SECTION_LABELS,
        values=values,
        errors=errors,
    )
    db.session.commit()  # the audit record of a read of someone else's diary
    return html, 422 if errors else 200


@bp.get("/trends/report")
@login_required
def report() -> ResponseReturnValue:
    access = reach(request.args.get("patient", "me"), "trends", "page:report")
    today = local_date_of(utcnow(), access.patient.timezone)
    if "from" not in request.args and "to" not in request.args:
        values = {
            "from": (today - timedelta(days=29)).isoformat(),
            "to": today.isoformat(),
            "sections": [s for s in allowed_sections(access) if s not in LATER_PAGES],
        }
        return _form(access, values, {})
    values = {
        "from": request.args.get("from", ""),
        "to": request.args.get("to", ""),
        "sections": request.args.getlist("sections"),
    }
    try:
        query = ReportQuerySchema().load(request.args)
        if not query["sections"]:
            raise ValidationError("Choose at least one part for the report.", "sections")
        if query["from_"] is None or query["to"] is None:
            raise ValidationError("Give both dates of the period.", "from")
        check_range(query["from_"], query["to"])
        sections = chosen_sections(access, query["sections"])
    except ValidationError as error:
        return _form(access, values, _errors(error))
    except Forbidden as error:
        return _form(access, values, {"sections": error.detail})
    return pdf_response(access, query["from_"], query["to"], sections)
