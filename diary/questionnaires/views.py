"""The questionnaire pages: pick one, answer it on a phone, see the scores over time."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.errors import ValidationFailed
from diary.extensions import db
from diary.questionnaires.labels import INSTRUMENTS, Instrument
from diary.schemas.questionnaires import QuestionnaireInSchema
from diary.services import questionnaires as questionnaires_service
from diary.services.scoring import PGIC_LABELS
from diary.treatments.forms import whole

bp = Blueprint("questionnaires", __name__)


@bp.get("/questionnaires")
@login_required
def index() -> ResponseReturnValue:
    patient = reach("me", "trends").patient
    history = questionnaires_service.list_responses(db.session, patient, limit=50)
    return render_template(
        "questionnaires/index.html",
        instruments=INSTRUMENTS,
        history=history,
        pgic_labels=PGIC_LABELS,
        patient=patient,
    )


def _answers_from_form(instrument: Instrument, form: MultiDict[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in instrument.items:
        raw = form.get(item.name)
        if raw in (None, ""):
            continue
        answers[item.name] = whole(raw) if not item.options or item.name == "change" else raw
    return answers


def _errors(messages: Any) -> dict[str, str]:
    """One message per question; a message about the whole form under _form."""
    errors: dict[str, str] = {}
    answers = messages.get("answers") if isinstance(messages, dict) else None
    if isinstance(answers, dict):
        for name, value in answers.items():
            text = value[0] if isinstance(value, list) and value else value
            errors["_form" if name == "_schema" else str(name)] = str(text)
    elif isinstance(answers, list) and answers:
        errors["_form"] = str(answers[0])
    for name, value in (messages or {}).items():
        if name != "answers":
            errors[str(name)] = str(value[0] if isinstance(value, list) else value)
    return errors


@bp.route("/questionnaires/<any(peg, bpi_sf, npsi, pgic):code>", methods=["GET", "POST"])
@login_required
def answer(code: str) -> ResponseReturnValue:
    patient = reach("me", "log_on_behalf").patient
    instrument = INSTRUMENTS[code]
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _answers_from_form(instrument, request.form)
        try:
            data = QuestionnaireInSchema().load({"instrument": code, "answers": values})
            questionnaires_service.record(db.session, patient, current_user, data, utcnow())
        except ValidationError as error:
            errors = _errors(error.messages)
        except ValidationFailed as error:
            errors = _errors(error.errors)
        else:
            db.session.commit()
            flash(f"Thank you. Your answers to “{instrument.title}” are saved.", "notice")
            return redirect(url_for("questionnaires.index"))
    return (
        render_template(
            "questionnaires/form.html", instrument=instrument, values=values, errors=errors
        ),
        422 if errors else 200,
    )
