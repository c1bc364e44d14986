"""The edge's side of the access rule: resolve the diary a request reaches, audit the read."""

from __future__ import annotations

from flask import Flask, Response, g, make_response, request
from flask_login import current_user

from diary.database import utcnow
from diary.errors import DATABASE_DOWN, handle_database_down
from diary.extensions import db
from diary.services import audit as audit_service
from diary.services import dashboard as dashboard_service
from diary.services.access import Access, access_for
from diary.services.dashboard import PatientCard


def reach(pid: str, scope: str, action: str | None = None) -> Access:
    """Resolve `pid` for the signed-in user; a read of someone else's diary is audited.

    The audit row joins the request's transaction, so the view's one commit stores the
    read and its record together (a GET that reaches another diary commits too).
    """
    now = utcnow()
    access = access_for(db.session, current_user, pid, scope, now)
    if access.link is not None:
        g.audit_pending = True
        if action is None:
            rule = request.url_rule.rule if request.url_rule else request.path
            action = f"{request.method.lower()} {rule}"
        audit_service.record(
            db.session,
            [
                audit_service.Read(
                    actor_id=access.actor.id,
                    patient_id=access.patient.id,
                    link_id=access.link.id,
                    link_kind="care_link",
                    action=action,
                    path=request.full_path.rstrip("?"),
                )
            ],
            now,
        )
    return access


def read_dashboard() -> list[PatientCard]:
    """The signed-in person's dashboard; each patient on it is a read, so each is audited."""
    now = utcnow()
    cards = dashboard_service.dashboard(db.session, current_user, now)
    audit_service.record(
        db.session,
        [
            audit_service.Read(
                current_user.id,
                c.patient.id,
                c.link.id,
                "care_link",
                "read:dashboard",
                "/clinician",
            )
            for c in cards
        ],
        now,
    )
    return cards


def _commit_audit(response: Response) -> Response:
    """A read of someone else's diary is never answered without its audit record stored."""
    if g.get("audit_pending") and response.status_code < 400:
        try:
            db.session.commit()
        except DATABASE_DOWN as error:
            # Too late for the error handlers to run: answer the outage here, not the read.
            return make_response(handle_database_down(error))
    return response


def register_audit_commit(app: Flask) -> None:
    app.after_request(_commit_audit)
