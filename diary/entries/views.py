"""The diary pages: log pain, the diary by day, edit, delete and undo. No JavaScript needed."""

from __future__ import annotations

import uuid
from itertools import groupby
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import ValidationError

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.entries.forms import entry_data_from_form, form_values_from_entry, form_values_from_post
from diary.errors import Conflict, ValidationFailed
from diary.extensions import db
from diary.reference import QUALITIES, QUALITIES_BY_CODE, REGIONS, REGIONS_BY_CODE
from diary.schemas.entries import EntryInSchema, EntryPatchSchema
from diary.services import entries as entries_service
from diary.services import medications as medications_service
from diary.services import treatments as treatments_service

bp = Blueprint("entries", __name__)


def field_errors(messages: Any) -> dict[str, str]:
    """One readable message per form area."""
    errors: dict[str, str] = {}
    for field, value in (messages or {}).items():
        text = value
        while isinstance(text, dict | list) and text:
            text = next(iter(text.values())) if isinstance(text, dict) else text[0]
        errors[str(field)] = str(text)
    return errors


def _render_form(
    values: dict[str, Any], errors: dict[str, str], *, entry_id: str | None, status: int
) -> ResponseReturnValue:
    last = entries_service.last_entry(db.session, current_user) if entry_id is None else None
    today = entries_service.local_date_of(utcnow(), current_user.timezone)
    infusion = treatments_service.recent_infusion(db.session, current_user, today)
    return (
        render_template(
            "entries/new.html",
            values=values,
            errors=errors,
            editing=entry_id,
            has_last=last is not None,
            regions=REGIONS,
            regions_by_code=REGIONS_BY_CODE,
            qualities=QUALITIES,
            medications=medications_service.choices(
                db.session, current_user, values.get("medications_taken") or []
            ),
            # The safety check-in: in the week after an infusion, or when the entry has one.
            show_checkin=infusion is not None or bool(values.get("checkin")),
        ),
        status,
    )


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@bp.route("/entries/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    patient = reach("me", "log_on_behalf", "page").patient
    if request.method == "POST":
        try:
            data = EntryInSchema().load(entry_data_from_form(request.form, patient.timezone))
            entries_service.create_entry(db.session, patient, current_user, data, utcnow())
        except ValidationError as error:
            return _render_form(
                form_values_from_post(request.form),
                field_errors(error.messages),
                entry_id=None,
                status=422,
            )
        except ValidationFailed as error:
            return _render_form(
                form_values_from_post(request.form),
                field_errors(error.errors),
                entry_id=None,
                status=422,
            )
        except Conflict as error:
            flash(error.detail, "error")
            return redirect(url_for("entries.index"))
        db.session.commit()
        flash("Saved. Thank you for logging.", "notice")
        return redirect(url_for("entries.index"))

    values: dict[str, Any] = {"regions": [], "qualities": [], "region_detail": {}}
    if request.args.get("same"):
        last = entries_service.last_entry(db.session, patient)
        values = form_values_from_entry(last, patient.timezone)
        values.pop("note", None)
        values.pop("recorded_at", None)
        values.pop("checkin", None)
        # Ticked as last time, but only what is still on the list.
        current = {str(m.id) for m in medications_service.list_medications(db.session, patient)}
        values["medications_taken"] = [m for m in values["medications_taken"] if m in current]
    # A fresh id per form: pressing "Save" twice stores one entry.
    values["id"] = str(uuid.uuid4())
    return _render_form(values, {}, entry_id=None, status=200)


@bp.route("/entries/<uuid:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(entry_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach("me", "log_on_behalf", "page").patient
    entry = entries_service.get_entry(db.session, patient, entry_id)
    if request.method == "POST":
        data = entry_data_from_form(request.form, patient.timezone)
        data.pop("id", None)
        data.setdefault("note", None)
        try:
            changes = EntryPatchSchema().load(data)
            entries_service.update_entry(
                db.session, patient, entry, changes, current_user, utcnow()
            )
        except ValidationError as error:
            return _render_form(
                form_values_from_post(request.form),
                field_errors(error.messages),
                entry_id=str(entry_id),
                status=422,
            )
        except ValidationFailed as error:
            db.session.rollback()
            return _render_form(
                form_values_from_post(request.form),
                field_errors(error.errors),
                entry_id=str(entry_id),
                status=422,
            )
        db.session.commit()
        flash("Changes saved. The earlier version is kept.", "notice")
        return redirect(url_for("entries.index"))
    return _render_form(
        form_values_from_entry(entry, patient.timezone), {}, entry_id=str(entry_id), status=200
    )


@bp.post("/entries/<uuid:entry_id>/delete")
@login_required
def delete(entry_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach("me", "log_on_behalf", "page").patient
    entry = entries_service.get_entry(db.session, patient, entry_id)
    entries_service.delete_entry(db.session, entry, utcnow())
    db.session.commit()
    return redirect(url_for("entries.index", deleted=str(entry_id)))


@bp.post("/entries/<uuid:entry_id>/restore")
@login_required
def restore(entry_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach("me", "log_on_behalf", "page").patient
    entries_service.restore_entry(db.session, patient, entry_id, utcnow())
    db.session.commit()
    flash("The entry is back.", "notice")
    return redirect(url_for("entries.index"))


@bp.get("/entries")
@login_required
def index() -> ResponseReturnValue:
    access = reach(request.args.get("patient", "me"), "entries", "page:entries")
    patient = access.patient
    cursor = request.args.get("cursor") or None
    try:
        page = entries_service.list_entries(db.session, patient, cursor=cursor, limit=30)
    except ValidationFailed:
        return redirect(url_for("entries.index"))
    db.session.commit()  # the audit record of a read of someone else's diary
    days = [(day, list(items)) for day, items in groupby(page.items, key=lambda e: e.local_date)]
    return render_template(
        "entries/index.html",
        days=days,
        next_cursor=page.next_cursor,
        deleted=_uuid_or_none(request.args.get("deleted")),
        # The log page's script saves through the API, then comes here with ?saved=1.
        saved=request.args.get("saved") == "1",
        patient=patient,
        access=access,
        regions_by_code=REGIONS_BY_CODE,
        qualities_by_code=QUALITIES_BY_CODE,
        medication_names=medications_service.names_by_id(db.session, patient),
    )
