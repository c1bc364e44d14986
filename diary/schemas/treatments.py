"""Shapes of treatments, their response, medications and the post-infusion check-in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from diary.models.treatments import (
    DOSE_UNITS,
    SERIES_PHASES,
    SETTINGS,
    SIDE_EFFECTS,
    TREATMENT_KINDS,
)
from diary.schemas.common import (
    Score,
    TrimmedString,
    UTCDateTimeField,
    no_duplicates,
    validate_plain_text,
)

NOTE_MAX = 2000
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
# Far beyond any dose in any unit; the per-unit limits live with the rules (services).
DOSE_CEILING = 1_000_000


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="Choose one of: {choices}.")


def _not_absurdly_old(value: datetime) -> None:
    if value < EARLIEST:
        raise ValidationError("That is too long ago to be a treatment.")


def severity(**kwargs: Any) -> Score:
    """A 0 to 3 rating: none, mild, moderate, severe."""
    return Score(
        validate=validate.Range(min=0, max=3, error="Give a whole number from 0 to 3."),
        error_messages={"invalid": "Give a whole number from 0 to 3."},
        **kwargs,
    )


def plain_note(max_length: int) -> list[Any]:
    return [
        validate.Length(max=max_length, error="Keep it to {max} characters."),
        validate_plain_text,
    ]


class StrictBoolean(fields.Boolean):
    """true or false, and nothing that merely looks like them ("yes", 1)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Dose(fields.Float):
    """A positive JSON number (not "5", not NaN, not true)."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Give the dose as a number, e.g. 0.5.",
        "too_large": "That number is far too large to be a dose.",
        "special": "Give the dose as a number, e.g. 0.5.",
    }

    def _validated(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class SideEffectSchema(Schema):
    code = fields.String(required=True, validate=_one_of(SIDE_EFFECTS))
    severity = severity(required=True)
    note = TrimmedString(allow_none=True, validate=plain_note(200))


class TreatmentInSchema(Schema):
    """What a client sends to record a treatment (and, partially, to edit one)."""

    kind = fields.String(required=True, validate=_one_of(TREATMENT_KINDS))
    started_at = UTCDateTimeField(validate=_not_absurdly_old)
    ended_at = UTCDateTimeField(allow_none=True, validate=_not_absurdly_old)
    dose = Dose(
        allow_none=True,
        validate=validate.Range(
            min=0,
            min_inclusive=False,
            max=DOSE_CEILING,
            error="A dose is a number above 0 and of a plausible size.",
        ),
    )
    dose_unit = fields.String(allow_none=True, validate=_one_of(DOSE_UNITS))
    setting = fields.String(allow_none=True, validate=_one_of(SETTINGS))
    series_phase = fields.String(allow_none=True, validate=_one_of(SERIES_PHASES))
    series_number = Score(
        allow_none=True,
        validate=validate.Range(min=1, max=100, error="Give a whole number from 1 to 100."),
        error_messages={"invalid": "Give a whole number from 1 to 100."},
    )
    adjuvants = fields.List(
        TrimmedString(validate=[validate.Length(min=1, max=80), validate_plain_text]),
        validate=[validate.Length(max=10), no_duplicates],
    )
    side_effects = fields.List(
        fields.Nested(SideEffectSchema), validate=validate.Length(max=len(SIDE_EFFECTS))
    )
    note = fields.String(allow_none=True, validate=plain_note(NOTE_MAX))

    @validates("side_effects")
    def _one_row_per_side_effect(self, value: list[dict[str, Any]], **_: Any) -> None:
        codes = [item["code"] for item in value if isinstance(item, dict) and "code" in item]
        if len(set(codes)) != len(codes):
            raise ValidationError("Each side effect may appear only once.")


class TreatmentPatchSchema(TreatmentInSchema):
    """An edit: any of the fields; the combination is checked against the stored values."""

    @validates_schema
    def _something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.")


class SideEffectOutSchema(Schema):
    code = fields.String()
    severity = fields.Integer()
    note = fields.String(allow_none=True, dump_default=None)


class TreatmentSchema(Schema):
    """A treatment as the API answers it."""

    id = fields.UUID(dump_only=True)
    patient_id = fields.UUID(dump_only=True)
    author_id = fields.UUID(dump_only=True, allow_none=True)
    kind = fields.String(dump_only=True)
    started_at = UTCDateTimeField(dump_only=True)
    ended_at = UTCDateTimeField(dump_only=True, allow_none=True)
    local_date = fields.Date(dump_only=True)
    duration_minutes = fields.Integer(dump_only=True, allow_none=True)
    dose = fields.Float(dump_only=True, allow_none=True)
    dose_unit = fields.String(dump_only=True, allow_none=True)
    setting = fields.String(dump_only=True, allow_none=True)
    series_phase = fields.String(dump_only=True, allow_none=True)
    series_number = fields.Integer(dump_only=True, allow_none=True)
    adjuvants = fields.List(fields.String(), dump_only=True)
    side_effects = fields.List(fields.Nested(SideEffectOutSchema), dump_only=True)
    note = fields.String(dump_only=True, allow_none=True)
    created_at = UTCDateTimeField(dump_only=True)
    updated_at = UTCDateTimeField(dump_only=True)


class TreatmentListSchema(Schema):
    items = fields.List(fields.Nested(TreatmentSchema), dump_only=True)


class TreatmentListQuerySchema(Schema):
    kind = fields.String(load_default=None, validate=_one_of(TREATMENT_KINDS))


class ResponseSchema(Schema):
    """The response of one treatment; null numbers come with the reason."""

    treatment_id = fields.UUID(dump_only=True)
    treatment_date = fields.Date(dump_only=True)
    baseline = fields.Float(dump_only=True, allow_none=True)
    after = fields.Float(dump_only=True, allow_none=True)
    change_pct = fields.Float(dump_only=True, allow_none=True)
    responder = fields.String(dump_only=True, allow_none=True)
    relief_days = fields.Integer(dump_only=True, allow_none=True)
    relief_status = fields.String(dump_only=True)
    relief_ended_on = fields.Date(dump_only=True, allow_none=True)
    baseline_days = fields.Integer(dump_only=True)
    after_days = fields.Integer(dump_only=True)
    min_days_logged = fields.Integer(dump_only=True)
    insufficient_data = fields.List(fields.String(), dump_only=True)
    message = fields.String(dump_only=True)


class BoosterWindowSchema(Schema):
    from_day = fields.Integer(dump_only=True)
    to_day = fields.Integer(dump_only=True)
    from_date = fields.Date(dump_only=True, data_key="from")
    to_date = fields.Date(dump_only=True, data_key="to")


class SeriesSchema(Schema):
    """Relief across a series of treatments of one kind."""

    kind = fields.String(dump_only=True)
    treatments = fields.Integer(dump_only=True)
    measured = fields.Integer(dump_only=True)
    median_relief_days = fields.Float(dump_only=True, allow_none=True)
    latest = fields.Date(dump_only=True, allow_none=True)
    booster_window = fields.Nested(BoosterWindowSchema, dump_only=True, allow_none=True)
    insufficient_data = fields.Boolean(dump_only=True)
    message = fields.String(dump_only=True)


class SeriesQuerySchema(Schema):
    kind = fields.String(load_default="ketamine_infusion", validate=_one_of(TREATMENT_KINDS))


class CheckinSchema(Schema):
    """The short safety check-in in the week after an infusion; every item optional."""

    dissociation = severity(allow_none=True)
    nausea = severity(allow_none=True)
    sleep = severity(allow_none=True)
    urinary = StrictBoolean(allow_none=True)


class MedicationInSchema(Schema):
    name = TrimmedString(
        required=True, validate=[validate.Length(min=1, max=120), validate_plain_text]
    )
    dose = TrimmedString(allow_none=True, validate=plain_note(60))
    schedule = TrimmedString(allow_none=True, validate=plain_note(120))
    active = StrictBoolean()


class MedicationPatchSchema(MedicationInSchema):
    @validates_schema
    def _something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.")


class MedicationSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)
    dose = fields.String(dump_only=True, allow_none=True)
    schedule = fields.String(dump_only=True, allow_none=True)
    active = fields.Boolean(dump_only=True)
    created_at = UTCDateTimeField(dump_only=True)
    updated_at = UTCDateTimeField(dump_only=True)


class MedicationListSchema(Schema):
    items = fields.List(fields.Nested(MedicationSchema), dump_only=True)
