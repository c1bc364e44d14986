"""The questionnaires API: answers in, scores out."""

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
from diary.schemas.questionnaires import (
    QuestionnaireInSchema,
    QuestionnaireListQuerySchema,
    QuestionnaireListSchema,
    QuestionnaireSchema,
)
from diary.services import questionnaires as questionnaires_service
from diary.services.access import OWNER

bp = Blueprint("questionnaires_api", __name__, url_prefix="/api/v1")

TAGS = ["questionnaires"]
QUESTIONNAIRES = "/patients/<pid>/questionnaires"
QUESTIONNAIRE = "/patients/<pid>/questionnaires/<uuid:response_id>"


@bp.post(QUESTIONNAIRES)
@login_required
@doc(
    "Answer a questionnaire (peg, bpi_sf, npsi, pgic); the answer carries its scores",
    tags=TAGS,
    body=QuestionnaireInSchema,
    responses={201: QuestionnaireSchema},
)
def create_questionnaire(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "log_on_behalf").patient
    data = load_json(QuestionnaireInSchema())
    response = questionnaires_service.record(db.session, patient, current_user, data, utcnow())
    db.session.commit()
    return dump(
        QuestionnaireSchema(),
        response,
        201,
        headers={"Location": f"/api/v1/patients/{pid}/questionnaires/{response.id}"},
    )


@bp.get(QUESTIONNAIRES)
@login_required
@doc(
    "List answered questionnaires, newest first",
    tags=TAGS,
    query=QuestionnaireListQuerySchema,
    responses={200: QuestionnaireListSchema},
)
def list_questionnaires(pid: str) -> ResponseReturnValue:
    patient = reach(pid, "trends").patient
    query = QuestionnaireListQuerySchema().load(request.args)
    items = questionnaires_service.list_responses(
        db.session, patient, instrument=query["instrument"], limit=query["limit"]
    )
    return dump(QuestionnaireListSchema(), {"items": items})


@bp.get(QUESTIONNAIRE)
@login_required
@doc("One answered questionnaire", tags=TAGS, responses={200: QuestionnaireSchema})
def get_questionnaire(pid: str, response_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, "trends").patient
    response = questionnaires_service.get_response(db.session, patient, response_id)
    return dump(QuestionnaireSchema(), response)


@bp.delete(QUESTIONNAIRE)
@login_required
@doc("Delete an answered questionnaire", tags=TAGS, responses={204: "Deleted"})
def delete_questionnaire(pid: str, response_id: uuid.UUID) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    response = questionnaires_service.get_response(db.session, patient, response_id)
    questionnaires_service.delete_response(db.session, response)
    db.session.commit()
    return "", 204
