"""Shapes of the exports and the CSV import: the mapping a client sends, the summary it gets."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from diary.services.imports import DATE_ORDERS, MAPPABLE


class ColumnMappingSchema(Schema):
    """Another app's export: which of its columns holds what (by the column's header)."""

    columns = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(MAPPABLE))),
        values=fields.String(validate=validate.Length(min=1, max=200)),
        required=True,
        validate=validate.Length(max=len(MAPPABLE)),
    )
    date_order = fields.String(load_default="ymd", validate=validate.OneOf(tuple(DATE_ORDERS)))

    @validates_schema
    def _intensity_and_date(self, data: dict[str, Any], **_: Any) -> None:
        columns = data.get("columns") or {}
        if "intensity" not in columns:
            raise ValidationError("Map the column that holds the pain score.", "columns")
        if "recorded_at" not in columns and "date" not in columns:
            raise ValidationError("Map the column that holds the date.", "columns")


class ImportProblemSchema(Schema):
    line = fields.Integer(dump_only=True)
    reasons = fields.List(fields.String(), dump_only=True)


class ImportSummarySchema(Schema):
    rows = fields.Integer(dump_only=True)
    kept = fields.Integer(dump_only=True)
    duplicates = fields.Integer(dump_only=True)
    invalid = fields.List(fields.Nested(ImportProblemSchema), dump_only=True)
    medications_added = fields.List(fields.String(), dump_only=True)


class AccountDeleteSchema(Schema):
    """Deleting the account asks for the password again (re-authentication)."""

    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
