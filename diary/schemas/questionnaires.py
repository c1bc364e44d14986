"""Shapes of questionnaire answers (one schema per instrument) and of stored responses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from diary.models.questionnaires import INSTRUMENTS, NPSI_ATTACKS, NPSI_DURATIONS
from diary.schemas.common import Score, UTCDateTimeField

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def _answer() -> Score:
    return Score(allow_none=True)


def _not_absurdly_old(value: datetime) -> None:
    if value < EARLIEST:
        raise ValidationError("That is too long ago.")


class _Answers(Schema):
    @validates_schema
    def _at_least_one(self, data: dict[str, Any], **_: Any) -> None:
        if all(value is None for value in data.values()):
            raise ValidationError("Answer at least one question.")


class PegAnswers(_Answers):
    pain = _answer()
    enjoyment = _answer()
    general_activity = _answer()


class BpiSfAnswers(_Answers):
    worst = _answer()
    least = _answer()
    average = _answer()
    now = _answer()
    general_activity = _answer()
    mood = _answer()
    walking = _answer()
    work = _answer()
    relations = _answer()
    sleep = _answer()
    enjoyment = _answer()


class NpsiAnswers(_Answers):
    q1 = _answer()
    q2 = _answer()
    q3 = _answer()
    q4 = fields.String(
        allow_none=True, validate=validate.OneOf(NPSI_DURATIONS, error="Choose one of: {choices}.")
    )
    q5 = _answer()
    q6 = _answer()
    q7 = fields.String(
        allow_none=True, validate=validate.OneOf(NPSI_ATTACKS, error="Choose one of: {choices}.")
    )
    q8 = _answer()
    q9 = _answer()
    q10 = _answer()
    q11 = _answer()
    q12 = _answer()


class PgicAnswers(Schema):
    change = Score(
        required=True,
        validate=validate.Range(min=1, max=7, error="Give a whole number from 1 to 7."),
        error_messages={"invalid": "Give a whole number from 1 to 7."},
    )


ANSWER_SCHEMAS: dict[str, type[Schema]] = {
    "peg": PegAnswers,
    "bpi_sf": BpiSfAnswers,
    "npsi": NpsiAnswers,
    "pgic": PgicAnswers,
}


class QuestionnaireInSchema(Schema):
    """`instrument` and its `answers`; the answers are checked against that instrument."""

    instrument = fields.String(
        required=True, validate=validate.OneOf(INSTRUMENTS, error="Choose one of: {choices}.")
    )
    answers = fields.Dict(keys=fields.String(), required=True)
    answered_at = UTCDateTimeField(validate=_not_absurdly_old)

    @post_load
    def _load_answers(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        try:
            answers = ANSWER_SCHEMAS[data["instrument"]]().load(data["answers"])
        except ValidationError as error:
            raise ValidationError({"answers": error.messages}) from error
        # Unanswered items are dropped: a missing item and null mean the same.
        data["answers"] = {key: value for key, value in answers.items() if value is not None}
        return data


class QuestionnaireSchema(Schema):
    id = fields.UUID(dump_only=True)
    patient_id = fields.UUID(dump_only=True)
    author_id = fields.UUID(dump_only=True, allow_none=True)
    instrument = fields.String(dump_only=True)
    answered_at = UTCDateTimeField(dump_only=True)
    local_date = fields.Date(dump_only=True)
    answers = fields.Dict(dump_only=True)
    scores = fields.Dict(dump_only=True)
    created_at = UTCDateTimeField(dump_only=True)


class QuestionnaireListSchema(Schema):
    items = fields.List(fields.Nested(QuestionnaireSchema), dump_only=True)


class QuestionnaireListQuerySchema(Schema):
    instrument = fields.String(
        load_default=None, validate=validate.OneOf(INSTRUMENTS, error="Choose one of: {choices}.")
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
