"""The care team API: invitations and links, comments, the audit trail, the dashboard."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required
from diary.care_team.reach import reach, read_dashboard
from diary.database import utcnow
from diary.extensions import db
from diary.http import doc, dump, load_json
from diary.models import CareLink
from diary.schemas.care_team import (
    AcceptSchema,
    AuditTrailSchema,
    CareLinkSchema,
    CommentInSchema,
    CommentListSchema,
    CommentSchema,
    DashboardSchema,
    InvitationInSchema,
    InvitationOutSchema,
    LinkPatchSchema,
    LinksSchema,
    ReportLinkCreatedSchema,
    ReportLinkInSchema,
    ReportLinkListSchema,
    dump_dashboard,
)
from diary.services import audit as audit_service
from diary.services import care_team as care_service
from diary.services import report_links as report_service
from diary.services.access import OWNER

bp = Blueprint("care_team_api", __name__, url_prefix="/api/v1")

TAGS = ["care team"]


def link_view(link: CareLink) -> dict[str, Any]:
    """A link as either side sees it, with its status now."""
    return {
        "id": link.id,
        "patient_id": link.patient_id,
        "patient_name": link.patient.display_name,
        "grantee_id": link.grantee_id,
        "grantee_name": link.grantee.display_name if link.grantee else None,
        "role": link.role,
        "scopes": link.scopes,
        "label": link.label,
        "status": link.status(utcnow()),
        "created_at": link.created_at,
        "accepted_at": link.accepted_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
    }


@bp.post("/care-links/invitations")
@login_required
@doc(
    "Invite a caregiver or clinician (the token is shown this once)",
    tags=TAGS,
    body=InvitationInSchema,
    responses={201: InvitationOutSchema},
)
def invite() -> ResponseReturnValue:
    data = load_json(InvitationInSchema())
    invitation = care_service.invite(db.session, current_user, now=utcnow(), **data)
    db.session.commit()
    body = {
        "id": invitation.link.id,
        "token": invitation.token,
        "invite_url": url_for("care_team.accept", token=invitation.token, _external=True),
        "expires_at": invitation.link.invitation_expires_at,
    }
    return dump(InvitationOutSchema(), body, 201)


@bp.post("/care-links/accept")
@login_required
@doc(
    "Accept an invitation",
    tags=TAGS,
    body=AcceptSchema,
    responses={201: CareLinkSchema, 409: "Your own invitation, or a link you already have"},
)
def accept() -> ResponseReturnValue:
    data = load_json(AcceptSchema())
    link = care_service.accept(db.session, current_user, data["token"], utcnow())
    db.session.commit()
    return dump(CareLinkSchema(), link_view(link), 201)


@bp.get("/care-links")
@login_required
@doc("My links, as patient and as grantee", tags=TAGS, responses={200: LinksSchema})
def links() -> ResponseReturnValue:
    found = care_service.links_of(db.session, current_user)
    return dump(
        LinksSchema(),
        {
            "as_patient": [link_view(link) for link in found.as_patient],
            "as_grantee": [link_view(link) for link in found.as_grantee],
        },
    )


@bp.patch("/care-links/<uuid:link_id>")
@login_required
@doc(
    "Change a link's scopes or expiry",
    tags=TAGS,
    body=LinkPatchSchema,
    responses={200: CareLinkSchema},
)
def change_link(link_id: uuid.UUID) -> ResponseReturnValue:
    data = load_json(LinkPatchSchema())
    link = care_service.change(
        db.session,
        current_user,
        link_id,
        data.get("scopes"),
        data.get("expires_in_days"),
        utcnow(),
    )
    db.session.commit()
    return dump(CareLinkSchema(), link_view(link))


@bp.delete("/care-links/<uuid:link_id>")
@login_required
@doc(
    "Revoke a link (effective on the grantee's next request)", tags=TAGS, responses={204: "Revoked"}
)
def revoke(link_id: uuid.UUID) -> ResponseReturnValue:
    care_service.revoke(db.session, current_user, link_id, utcnow())
    db.session.commit()
    return "", 204


@bp.get("/patients/<pid>/audit")
@login_required
@doc(
    "Who read my diary, newest first (the patient alone)",
    tags=TAGS,
    responses={200: AuditTrailSchema},
)
def audit(pid: str) -> ResponseReturnValue:
    access = reach(pid, OWNER, "read:audit")
    return dump(AuditTrailSchema(), {"items": audit_service.trail(db.session, access.patient)})


@bp.post("/patients/<pid>/comments")
@login_required
@doc(
    "Comment on an entry or a day", tags=TAGS, body=CommentInSchema, responses={201: CommentSchema}
)
def add_comment(pid: str) -> ResponseReturnValue:
    access = reach(pid, "comment", "create:comment")
    data = load_json(CommentInSchema())
    comment = care_service.add_comment(
        db.session, access.patient, current_user, now=utcnow(), **data
    )
    db.session.commit()
    return dump(CommentSchema(), comment, 201)


@bp.get("/patients/<pid>/comments")
@login_required
@doc("Comments on the diary, newest first", tags=TAGS, responses={200: CommentListSchema})
def comments(pid: str) -> ResponseReturnValue:
    access = reach(pid, "comment", "read:comments")
    items = care_service.comments_on(db.session, access.patient)
    db.session.commit()
    return dump(CommentListSchema(), {"items": items})


@bp.get("/clinician/dashboard")
@login_required
@doc(
    "Every patient who shared with me: figures and alerts",
    tags=TAGS,
    responses={200: DashboardSchema},
)
def dashboard() -> ResponseReturnValue:
    cards = read_dashboard()
    db.session.commit()
    return jsonify(dump_dashboard(cards))


@bp.post("/patients/<pid>/report-links")
@login_required
@doc(
    "Make a read-only report link (at most 30 days)",
    tags=TAGS,
    body=ReportLinkInSchema,
    responses={201: ReportLinkCreatedSchema},
)
def create_report_link(pid: str) -> ResponseReturnValue:
    access = reach(pid, OWNER, "create:report_link")
    data = load_json(ReportLinkInSchema())
    new = report_service.create(
        db.session,
        access.patient,
        data["from_"],
        data["to"],
        data["expires_in_days"],
        data["label"],
        utcnow(),
    )
    db.session.commit()
    link = new.link
    body = {
        "id": link.id,
        "from_date": link.from_date,
        "to_date": link.to_date,
        "label": link.label,
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "token": new.token,
        "url": url_for("care_team.report", token=new.token, _external=True),
    }
    return dump(ReportLinkCreatedSchema(), body, 201)


@bp.get("/patients/<pid>/report-links")
@login_required
@doc("My report links", tags=TAGS, responses={200: ReportLinkListSchema})
def report_links(pid: str) -> ResponseReturnValue:
    access = reach(pid, OWNER, "read:report_links")
    items = report_service.of_patient(db.session, access.patient)
    return dump(ReportLinkListSchema(), {"items": items})


@bp.delete("/patients/<pid>/report-links/<uuid:link_id>")
@login_required
@doc("Revoke a report link", tags=TAGS, responses={204: "Revoked"})
def revoke_report_link(pid: str, link_id: uuid.UUID) -> ResponseReturnValue:
    access = reach(pid, OWNER, "revoke:report_link")
    report_service.revoke(db.session, access.patient, link_id, utcnow())
    db.session.commit()
    return "", 204
