"""The treatments API (with response, relief and series) and the medications API."""

from __future__ import annotations

import uuid

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.extensions import db
from diary.http import doc, dump, load_json
from diary.schemas.treatments import (
    MedicationInSchema,
    MedicationListSchema,
    MedicationPatchSchema,
    MedicationSchema,
    ResponseSchema,
    SeriesQuerySchema,
    SeriesSchema,
    TreatmentInSchema,
    TreatmentListQuerySchema,
    TreatmentListSchema,
    TreatmentPatchSchema,
    TreatmentSchema,
)
from diary.services import medications as medications_service
from diary.services import treatments as treatments_service
from diary.services.access import OWNER

bp = Blueprint("treatments_api", __name__, url_prefix="/api/v1")

TAGS = ["treatments"]
MEDICATION_TAGS = ["medications"]
TREATMENTS = "/patients/<pid>/treatments"
TREATMENT = "/patients/<pid>/treatments/<uuid:treatment_id>"
MEDICATIONS = "/patients/<pid>/medications"
MEDICATION = "/patients/<pid>/medications/<uuid:medication_id>"


@bp.post(TREATMENTS)
@login_required
@doc("Record a treatment", tags=TAGS, body=TreatmentInSchema, responses={201: TreatmentSchema})
def create_treatment(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "log_on_behalf").patient
    data = load_json(TreatmentInSchema())
    treatment = treatments_service.create_treatment(
        db.session, patient, current_user, data, utcnow()
    )
    db.session.commit()
    return dump(
        TreatmentSchema(),
        treatment,
        201,
        headers={"Location": f"/api/v1/patients/{pid}/treatments/{treatment.id}"},
    )


@bp.get(TREATMENTS)
@login_required
@doc(
    "List treatments, newest first",
    tags=TAGS,
    query=TreatmentListQuerySchema,
    responses={200: TreatmentListSchema},
)
def list_treatments(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "trends").patient
    query = TreatmentListQuerySchema().load(request.args)
    items = treatments_service.list_treatments(db.session, patient, kind=query["kind"])
    return dump(TreatmentListSchema(), {"items": items})


@bp.get(f"{TREATMENTS}/series")
@login_required
@doc(
    "Median relief across a kind of treatment, and a suggested booster window",
    tags=TAGS,
    query=SeriesQuerySchema,
    responses={200: SeriesSchema},
)
def series(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "trends").patient
    kind = SeriesQuerySchema().load(request.args)["kind"]
    summary = treatments_service.series_summary(db.session, patient, kind)
    return dump(SeriesSchema(), treatments_service.describe_series(kind, summary))


@bp.get(TREATMENT)
@login_required
@doc("One treatment", tags=TAGS, responses={200: TreatmentSchema})
def get_treatment(pid: str, treatment_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, "trends").patient
    return dump(
        TreatmentSchema(), treatments_service.get_treatment(db.session, patient, treatment_id)
    )


@bp.patch(TREATMENT)
@login_required
@doc("Edit a treatment", tags=TAGS, body=TreatmentPatchSchema, responses={200: TreatmentSchema})
def patch_treatment(pid: str, treatment_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    treatment = treatments_service.get_treatment(db.session, patient, treatment_id)
    changes = load_json(TreatmentPatchSchema(), partial=True)
    treatments_service.update_treatment(db.session, patient, treatment, changes, utcnow())
    db.session.commit()
    return dump(TreatmentSchema(), treatment)


@bp.delete(TREATMENT)
@login_required
@doc("Delete a treatment", tags=TAGS, responses={204: "Deleted"})
def delete_treatment(pid: str, treatment_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    treatment = treatments_service.get_treatment(db.session, patient, treatment_id)
    treatments_service.delete_treatment(db.session, treatment)
    db.session.commit()
    return "", 204


@bp.get(f"{TREATMENT}/response")
@login_required
@doc(
    "Baseline, after, change, responder class and relief of one treatment",
    tags=TAGS,
    responses={200: ResponseSchema},
)
def treatment_response(pid: str, treatment_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, "trends").patient
    treatment = treatments_service.get_treatment(db.session, patient, treatment_id)
    response = treatments_service.response_for(db.session, patient, treatment)
    return dump(ResponseSchema(), treatments_service.describe_response(treatment, response))


@bp.post(MEDICATIONS)
@login_required
@doc(
    "Add a medication",
    tags=MEDICATION_TAGS,
    body=MedicationInSchema,
    responses={201: MedicationSchema},
)
def create_medication(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "log_on_behalf").patient
    data = load_json(MedicationInSchema())
    medication = medications_service.create_medication(db.session, patient, data, utcnow())
    db.session.commit()
    return dump(
        MedicationSchema(),
        medication,
        201,
        headers={"Location": f"/api/v1/patients/{pid}/medications/{medication.id}"},
    )


@bp.get(MEDICATIONS)
@login_required
@doc("List medications, active first", tags=MEDICATION_TAGS, responses={200: MedicationListSchema})
def list_medications(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "entries").patient
    items = medications_service.list_medications(db.session, patient)
    return dump(MedicationListSchema(), {"items": items})


@bp.get(MEDICATION)
@login_required
@doc("One medication", tags=MEDICATION_TAGS, responses={200: MedicationSchema})
def get_medication(pid: str, medication_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, "entries").patient
    medication = medications_service.get_medication(db.session, patient, medication_id)
    return dump(MedicationSchema(), medication)


@bp.patch(MEDICATION)
@login_required
@doc(
    "Edit a medication (e.g. stop it: active false)",
    tags=MEDICATION_TAGS,
    body=MedicationPatchSchema,
    responses={200: MedicationSchema},
)
def patch_medication(pid: str, medication_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    medication = medications_service.get_medication(db.session, patient, medication_id)
    changes = load_json(MedicationPatchSchema(), partial=True)
    medications_service.update_medication(db.session, medication, changes, utcnow())
    db.session.commit()
    return dump(MedicationSchema(), medication)


@bp.delete(MEDICATION)
@login_required
@doc(
    "Remove a medication (entries that name it keep the name)",
    tags=MEDICATION_TAGS,
    responses={204: "Removed"},
)
def delete_medication(pid: str, medication_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    medication = medications_service.get_medication(db.session, patient, medication_id)
    medications_service.delete_medication(db.session, medication, utcnow())
    db.session.commit()
    return "", 204
