"""Shapes of pain entries: what a client may send and what it gets back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from diary.reference import QUALITIES_BY_CODE, REGIONS_BY_CODE
from diary.schemas.common import (
    DiaryDate,
    Score,
    TrimmedString,
    UTCDateTimeField,
    no_duplicates,
    validate_plain_text,
)
from diary.schemas.treatments import CheckinSchema

NOTE_MAX = 2000
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
INTERFERENCE_ITEMS = (
    "general_activity",
    "mood",
    "walking",
    "work",
    "relations",
    "sleep",
    "enjoyment",
)


# OneOf, so that the OpenAPI document lists the codes (an enum) as the API accepts them.
_known_region = validate.OneOf(
    sorted(REGIONS_BY_CODE), error="Unknown body region; see GET /api/v1/reference/regions."
)
_known_quality = validate.OneOf(
    sorted(QUALITIES_BY_CODE), error="Unknown quality; see GET /api/v1/reference/qualities."
)


def _not_absurdly_old(value: datetime) -> None:
    if value < EARLIEST:
        raise ValidationError("That is too long ago to be a diary entry.")


class LocationSchema(Schema):
    region = fields.String(required=True, validate=_known_region)
    intensity = Score(allow_none=True, load_default=None)
    qualities = fields.List(
        fields.String(validate=_known_quality),
        load_default=list,
        validate=[validate.Length(max=len(QUALITIES_BY_CODE)), no_duplicates],
    )


class InterferenceSchema(Schema):
    """The seven BPI interference items, each optional."""

    general_activity = Score(allow_none=True)
    mood = Score(allow_none=True)
    walking = Score(allow_none=True)
    work = Score(allow_none=True)
    relations = Score(allow_none=True)
    sleep = Score(allow_none=True)
    enjoyment = Score(allow_none=True)


class EntryInSchema(Schema):
    """What a client sends to create an entry (and, partially, to edit one)."""

    id = fields.UUID()
    recorded_at = UTCDateTimeField(validate=_not_absurdly_old)
    intensity = Score(required=True)
    worst_24h = Score(allow_none=True)
    least_24h = Score(allow_none=True)
    average_24h = Score(allow_none=True)
    locations = fields.List(
        fields.Nested(LocationSchema), validate=validate.Length(max=len(REGIONS_BY_CODE))
    )
    qualities = fields.List(
        fields.String(validate=_known_quality),
        validate=[validate.Length(max=len(QUALITIES_BY_CODE)), no_duplicates],
    )
    interference = fields.Nested(InterferenceSchema, allow_none=True)
    sleep_quality = Score(allow_none=True)
    mood = Score(allow_none=True)
    triggers = fields.List(
        TrimmedString(validate=[validate.Length(min=1, max=40), validate_plain_text]),
        validate=[validate.Length(max=20), no_duplicates],
    )
    note = fields.String(
        allow_none=True,
        validate=[
            validate.Length(max=NOTE_MAX, error="Keep the note to {max} characters."),
            validate_plain_text,
        ],
    )
    # Ids from GET /patients/{pid}/medications; the service checks they are the patient's.
    medications_taken = fields.List(
        fields.UUID(), validate=[validate.Length(max=50), no_duplicates]
    )
    checkin = fields.Nested(CheckinSchema, allow_none=True)

    @validates("locations")
    def _one_row_per_region(self, value: list[dict[str, Any]], **_: Any) -> None:
        regions = [loc["region"] for loc in value if isinstance(loc, dict) and "region" in loc]
        if len(set(regions)) != len(regions):
            raise ValidationError("Each body region may appear only once.")


class EntryPatchSchema(EntryInSchema):
    """An edit: any field but the id; intensity stays required to be a number."""

    class Meta:
        exclude = ("id",)

    def load(self, data: Any, *, partial: Any = None, **kwargs: Any) -> Any:
        """Every top-level field is optional; inside a location, `region` stays required."""
        return super().load(data, partial=tuple(self.fields), **kwargs)

    @validates_schema
    def _something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.")


class LocationOutSchema(Schema):
    region = fields.String()
    intensity = fields.Integer(allow_none=True)
    qualities = fields.List(fields.String())


class EntrySchema(Schema):
    """An entry as the API answers it."""

    id = fields.UUID(dump_only=True)
    patient_id = fields.UUID(dump_only=True)
    author_id = fields.UUID(dump_only=True, allow_none=True)
    recorded_at = UTCDateTimeField(dump_only=True)
    local_date = fields.Date(dump_only=True)
    intensity = fields.Integer(dump_only=True)
    worst_24h = fields.Integer(dump_only=True, allow_none=True)
    least_24h = fields.Integer(dump_only=True, allow_none=True)
    average_24h = fields.Integer(dump_only=True, allow_none=True)
    locations = fields.List(fields.Nested(LocationOutSchema), dump_only=True)
    qualities = fields.List(fields.String(), dump_only=True)
    # An item may be null: skipped, as the client sent it.
    interference = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(allow_none=True),
        dump_only=True,
        allow_none=True,
    )
    sleep_quality = fields.Integer(dump_only=True, allow_none=True)
    mood = fields.Integer(dump_only=True, allow_none=True)
    triggers = fields.List(fields.String(), dump_only=True)
    note = fields.String(dump_only=True, allow_none=True)
    medications_taken = fields.List(fields.String(), dump_only=True)
    checkin = fields.Dict(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = UTCDateTimeField(dump_only=True)
    updated_at = UTCDateTimeField(dump_only=True)


class EntryPageSchema(Schema):
    items = fields.List(fields.Nested(EntrySchema), dump_only=True)
    next_cursor = fields.String(dump_only=True, allow_none=True)


class EntryListQuerySchema(Schema):
    from_ = DiaryDate(data_key="from", load_default=None)
    to = DiaryDate(load_default=None)
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))

    @validates_schema
    def _range_in_order(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("'from' must not be after 'to'.", field_name="from")


class RevisionSchema(Schema):
    version = fields.Integer(dump_only=True)
    edited_at = UTCDateTimeField(dump_only=True)
    edited_by_id = fields.UUID(dump_only=True, allow_none=True)
    entry = fields.Dict(attribute="snapshot", dump_only=True)


class RevisionListSchema(Schema):
    items = fields.List(fields.Nested(RevisionSchema), dump_only=True)


class RegionSchema(Schema):
    code = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    view = fields.String(dump_only=True)
    side = fields.String(dump_only=True)
    snomed = fields.String(dump_only=True)


class QualitySchema(Schema):
    code = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
