"""The care team pages: invite, accept, change or revoke; who viewed; the dashboard; reports."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import segno
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import ValidationError

from diary.accounts.auth import login_required
from diary.care_team.reach import read_dashboard
from diary.database import utcnow
from diary.errors import Conflict, DomainError
from diary.extensions import db
from diary.http import form_data
from diary.reference import REGIONS_BY_CODE
from diary.schemas.care_team import InvitationInSchema, LinkPatchSchema, ReportLinkInSchema
from diary.services import audit as audit_service
from diary.services import care_team as care_service
from diary.services import report_links as report_service
from diary.services import trends as trends_service
from diary.services.entries import local_date_of
from diary.trends.wording import summary_sentence

bp = Blueprint("care_team", __name__)

SCOPE_LABELS = {
    "trends": "Trends and averages",
    "entries": "Diary entries (scores, places, feelings)",
    "notes": "The notes I write",
    "log_on_behalf": "Logging pain for me",
    "comment": "Commenting on my diary",
}
ALERT_LABELS = {
    "sustained_severe": "Severe pain (8 or more) three days in a row",
    "worsening": "Worse by 2 or more points than the week before",
    "silent": "No entry for 3 days or more",
    "response_ending": "Relief from the last treatment has ended this week",
}


def _listed(value: Any) -> list[str]:
    return value if isinstance(value, list) else ([value] if value else [])


def _page(**extra: Any) -> ResponseReturnValue:
    now = utcnow()
    found = care_service.links_of(db.session, current_user)
    today = local_date_of(now, current_user.timezone)
    context: dict[str, Any] = {
        "links": found.as_patient,
        "shared_with_me": found.as_grantee,
        "trail": audit_service.trail(db.session, current_user, limit=50),
        "report_links": report_service.of_patient(db.session, current_user),
        "scope_labels": SCOPE_LABELS,
        "now": now,
        "values": {"role": "caregiver", "scopes": ["trends"]},
        "errors": {},
        "report_values": {
            "from": (today - timedelta(days=89)).isoformat(),
            "to": today.isoformat(),
            "expires_in_days": "7",
        },
        "report_errors": {},
        **extra,
    }
    status = 422 if context["errors"] or context["report_errors"] else 200
    return render_template("care_team/index.html", **context), status


def _first(messages: Any) -> dict[str, str]:
    return {
        str(k): (v[0] if isinstance(v, list) and v else str(v)) for k, v in dict(messages).items()
    }


@bp.get("/care-team")
@login_required
def index() -> ResponseReturnValue:
    return _page()


@bp.post("/care-team/invite")
@login_required
def invite() -> ResponseReturnValue:
    raw = form_data()
    values = {
        "role": raw.get("role"),
        "scopes": _listed(raw.get("scopes")),
        "expires_in_days": int(raw["expires_in_days"])
        if raw.get("expires_in_days", "").isdigit()
        else None,
        "label": raw.get("label") or None,
    }
    try:
        data = InvitationInSchema().load(values)
    except ValidationError as error:
        return _page(values=values, errors=_first(error.messages))
    invitation = care_service.invite(db.session, current_user, now=utcnow(), **data)
    db.session.commit()
    url = url_for("care_team.accept", token=invitation.token, _external=True)
    qr = segno.make(url, error="m").svg_inline(scale=4, title="QR code of the invitation link")
    return _page(new_invitation={"url": url, "qr": qr, "link": invitation.link})


@bp.post("/care-team/links/<uuid:link_id>/revoke")
@login_required
def revoke(link_id: uuid.UUID) -> ResponseReturnValue:
    care_service.revoke(db.session, current_user, link_id, utcnow())
    db.session.commit()
    flash("Access removed. It ends with their very next click.", "notice")
    return redirect(url_for("care_team.index"))


@bp.post("/care-team/links/<uuid:link_id>/scopes")
@login_required
def change_scopes(link_id: uuid.UUID) -> ResponseReturnValue:
    try:
        data = LinkPatchSchema().load({"scopes": request.form.getlist("scopes")})
        care_service.change(db.session, current_user, link_id, data["scopes"], None, utcnow())
    except ValidationError:
        flash("Choose at least one thing to share, or remove the access instead.", "error")
        return redirect(url_for("care_team.index"))
    except Conflict as error:
        flash(error.detail, "error")
        return redirect(url_for("care_team.index"))
    db.session.commit()
    flash("Sharing updated.", "notice")
    return redirect(url_for("care_team.index"))


@bp.route("/care-team/accept/<token>", methods=["GET", "POST"])
@login_required
def accept(token: str) -> ResponseReturnValue:
    now = utcnow()
    link = care_service.pending_invitation(db.session, token, now)
    if request.method == "POST":
        try:
            care_service.accept(db.session, current_user, token, now)
        except DomainError as error:
            flash(error.detail, "error")
            return redirect(url_for("main.home"))
        db.session.commit()
        flash(f"You can now see what {link.patient.display_name} shares with you.", "notice")
        return redirect(url_for("care_team.clinician"))
    return render_template(
        "care_team/accept.html", link=link, scope_labels=SCOPE_LABELS, token=token
    )


@bp.get("/clinician")
@login_required
def clinician() -> ResponseReturnValue:
    cards = read_dashboard()
    db.session.commit()
    return render_template("care_team/clinician.html", cards=cards, alert_labels=ALERT_LABELS)


@bp.post("/care-team/report-links")
@login_required
def create_report_link() -> ResponseReturnValue:
    values = form_data()
    try:
        data = ReportLinkInSchema().load(
            {
                "from": values.get("from"),
                "to": values.get("to"),
                "expires_in_days": int(values["expires_in_days"])
                if str(values.get("expires_in_days", "")).isdigit()
                else values.get("expires_in_days"),
                "label": values.get("label") or None,
            }
        )
    except ValidationError as error:
        return _page(report_values=values, report_errors=_first(error.messages))
    new = report_service.create(
        db.session,
        current_user,
        data["from_"],
        data["to"],
        data["expires_in_days"],
        data["label"],
        utcnow(),
    )
    db.session.commit()
    return _page(new_report_url=url_for("care_team.report", token=new.token, _external=True))


@bp.post("/care-team/report-links/<uuid:link_id>/revoke")
@login_required
def revoke_report_link(link_id: uuid.UUID) -> ResponseReturnValue:
    report_service.revoke(db.session, current_user, link_id, utcnow())
    db.session.commit()
    flash("The report link no longer works.", "notice")
    return redirect(url_for("care_team.index"))


@bp.get("/r/<token>")
def report(token: str) -> ResponseReturnValue:
    """The read-only report a patient shared by link; every view is audited."""
    now = utcnow()
    link = report_service.open_link(db.session, token, now)
    patient = link.patient
    trend = trends_service.daily_trend(db.session, patient, link.from_date, link.to_date)
    change = trends_service.change_from_previous(db.session, patient, link.from_date, link.to_date)
    regions = trends_service.region_stats(db.session, patient, link.from_date, link.to_date)
    audit_service.record(
        db.session,
        [audit_service.Read(None, patient.id, link.id, "report_link", "read:report", "/r/…")],
        now,
    )
    db.session.commit()
    response = render_template(
        "care_team/report.html",
        link=link,
        patient=patient,
        trend=trend,
        sentence=summary_sentence(change),
        regions=regions,
        regions_by_code=REGIONS_BY_CODE,
    )
    return response, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
