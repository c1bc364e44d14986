"""The treatment pages: the list with a response card each, record and edit, medications."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import ValidationError

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.entries.views import field_errors
from diary.errors import ValidationFailed
from diary.extensions import db
from diary.http import top_level
from diary.models import User
from diary.schemas.treatments import (
    MedicationInSchema,
    TreatmentInSchema,
    TreatmentPatchSchema,
)
from diary.services import medications as medications_service
from diary.services import treatments as treatments_service
from diary.services.entries import local_date_of
from diary.treatments import forms, labels

bp = Blueprint("treatments", __name__)


@bp.app_context_processor
def treatment_labels() -> dict[str, Any]:
    return {"treatment_labels": labels}


def _me(scope: str) -> User:
    return reach("me", scope).patient


@bp.get("/treatments")
@login_required
def index() -> ResponseReturnValue:
    patient = _me("trends")
    treatments = treatments_service.list_treatments(db.session, patient)
    responses = treatments_service.responses(db.session, patient, treatments)
    cards = [(t, treatments_service.describe_response(t, responses[t.id])) for t in treatments]
    series = [
        treatments_service.describe_series(
            kind, treatments_service.series_summary(db.session, patient, kind)
        )
        for kind in labels.KINDS
        if kind in {t.kind for t in treatments} and kind.endswith("_infusion")
    ]
    last = treatments_service.last_infusion(db.session, patient)
    again = None
    if last is not None:
        again = treatments_service.repeat_infusion(last, patient.timezone, utcnow())
    return render_template(
        "treatments/index.html",
        cards=cards,
        series=series,
        again=again,
        medications=medications_service.list_medications(db.session, patient),
        patient=patient,
        today=local_date_of(utcnow(), patient.timezone),
    )


def _render_form(
    values: dict[str, Any], errors: dict[str, str], *, treatment_id: str | None, status: int
) -> ResponseReturnValue:
    durations = list(labels.DURATIONS)
    if isinstance(values.get("duration"), int) and values["duration"] not in durations:
        durations = sorted([*durations, values["duration"]])
    return (
        render_template(
            "treatments/form.html",
            values=values,
            errors=errors,
            editing=treatment_id,
            durations=durations,
        ),
        status,
    )


@bp.route("/treatments/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    patient = _me("log_on_behalf")
    if request.method == "POST":
        try:
            data = TreatmentInSchema().load(
                forms.treatment_data_from_form(request.form, patient.timezone)
            )
            treatments_service.create_treatment(db.session, patient, current_user, data, utcnow())
        except ValidationError as error:
            return _render_form(
                forms.form_values_from_post(request.form),
                field_errors(error.messages),
                treatment_id=None,
                status=422,
            )
        except ValidationFailed as error:
            return _render_form(
                forms.form_values_from_post(request.form),
                field_errors(error.errors),
                treatment_id=None,
                status=422,
            )
        db.session.commit()
        flash("Treatment saved. Its response appears once the diary has a week after it.", "notice")
        return redirect(url_for("treatments.index"))
    now = utcnow()
    values: dict[str, Any] = {"kind": request.args.get("kind"), "started_at": now}
    last = treatments_service.last_infusion(db.session, patient)
    if request.args.get("again") and last is not None:
        values = treatments_service.repeat_infusion(last, patient.timezone, now)
    return _render_form(
        forms.form_values(values, patient.timezone), {}, treatment_id=None, status=200
    )


@bp.post("/treatments/quick")
@login_required
def quick() -> ResponseReturnValue:
    """The "I had an infusion today" button: the last infusion again, with the dose shown."""
    patient = _me("log_on_behalf")
    last = treatments_service.last_infusion(db.session, patient)
    if last is None:
        return redirect(url_for("treatments.new", kind="ketamine_infusion"))
    values = treatments_service.repeat_infusion(last, patient.timezone, utcnow())
    body = forms.json_body(values) | {
        "dose": forms.number(request.form.get("dose")),
        "dose_unit": forms.blank_to_none(request.form.get("dose_unit")),
    }
    try:
        data = TreatmentInSchema().load(body)
        treatments_service.create_treatment(db.session, patient, current_user, data, utcnow())
    except (ValidationError, ValidationFailed) as error:
        messages = error.messages if isinstance(error, ValidationError) else error.errors
        shown = forms.form_values(values, patient.timezone) | {
            "dose": request.form.get("dose", ""),
            "dose_unit": request.form.get("dose_unit", ""),
        }
        return _render_form(shown, field_errors(messages), treatment_id=None, status=422)
    db.session.commit()
    flash(f"Saved: {labels.KINDS[last.kind].lower()} today. Thank you.", "notice")
    return redirect(url_for("treatments.index"))


@bp.route("/treatments/<uuid:treatment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(treatment_id: uuid.UUID) -> ResponseReturnValue:
    patient = _me("log_on_behalf")
    treatment = treatments_service.get_treatment(db.session, patient, treatment_id)
    if request.method == "POST":
        try:
            schema = TreatmentPatchSchema()
            changes = schema.load(
                forms.treatment_data_from_form(request.form, patient.timezone),
                partial=top_level(schema),
            )
            treatments_service.update_treatment(db.session, patient, treatment, changes, utcnow())
        except (ValidationError, ValidationFailed) as error:
            db.session.rollback()
            messages = error.messages if isinstance(error, ValidationError) else error.errors
            return _render_form(
                forms.form_values_from_post(request.form),
                field_errors(messages),
                treatment_id=str(treatment_id),
                status=422,
            )
        db.session.commit()
        flash("Changes saved.", "notice")
        return redirect(url_for("treatments.index"))
    return _render_form(
        forms.form_values(forms.values_of(treatment), patient.timezone),
        {},
        treatment_id=str(treatment_id),
        status=200,
    )


@bp.post("/treatments/<uuid:treatment_id>/delete")
@login_required
def delete(treatment_id: uuid.UUID) -> ResponseReturnValue:
    patient = _me("log_on_behalf")
    treatment = treatments_service.get_treatment(db.session, patient, treatment_id)
    treatments_service.delete_treatment(db.session, treatment)
    db.session.commit()
    flash("The treatment was deleted.", "notice")
    return redirect(url_for("treatments.index"))


@bp.route("/treatments/medications", methods=["GET", "POST"])
@login_required
def medications() -> ResponseReturnValue:
    patient = _me("log_on_behalf")
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in ("name", "dose", "schedule")}
        try:
            data = MedicationInSchema().load(
                {
                    "name": values["name"],
                    "dose": values["dose"] or None,
                    "schedule": values["schedule"] or None,
                }
            )
            medications_service.create_medication(db.session, patient, data, utcnow())
        except ValidationError as error:
            errors, status = field_errors(error.messages), 422
        else:
            db.session.commit()
            flash(f"{data['name']} was added.", "notice")
            return redirect(url_for("treatments.medications"))
    return (
        render_template(
            "treatments/medications.html",
            medications=medications_service.list_medications(db.session, patient),
            values=values,
            errors=errors,
        ),
        status,
    )


@bp.post("/treatments/medications/<uuid:medication_id>/<any(stop, restart, remove):action>")
@login_required
def medication_action(medication_id: uuid.UUID, action: str) -> ResponseReturnValue:
    patient = _me("log_on_behalf")
    medication = medications_service.get_medication(db.session, patient, medication_id)
    if action == "remove":
        medications_service.delete_medication(db.session, medication, utcnow())
        message = f"{medication.name} was removed from the list."
    else:
        active = action == "restart"
        medications_service.update_medication(db.session, medication, {"active": active}, utcnow())
        message = f"{medication.name} is marked as {'taken again' if active else 'stopped'}."
    db.session.commit()
    flash(message, "notice")
    return redirect(url_for("treatments.medications"))
