"""Shapes of the appointment report request: the period and the chosen sections."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validates_schema

from diary.schemas.common import DiaryDate
from diary.schemas.trends import check_range
from diary.services.report import SECTIONS


def _known_section(value: str) -> None:
    if value not in SECTIONS:
        raise ValidationError(f"Choose from: {', '.join(SECTIONS)}.")


class ReportQuerySchema(Schema):
    """`from` and `to` are the patient's dates (default: the last 30 days); `sections` a
    comma-separated list, or the parameter repeated (default: all the caller may see)."""

    from_ = DiaryDate(data_key="from", load_default=None)
    to = DiaryDate(load_default=None)
    sections = fields.List(fields.String(validate=_known_section), load_default=None)

    @pre_load
    def _split_sections(self, data: Any, **_: Any) -> Any:
        if not hasattr(data, "getlist"):
            return data
        plain: dict[str, Any] = {key: data.get(key) for key in data if key != "sections"}
        if "sections" in data:
            raw = ",".join(data.getlist("sections"))
            plain["sections"] = [part.strip() for part in raw.split(",") if part.strip()]
        return plain

    @validates_schema
    def _sensible(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("from_") is not None and data.get("to") is not None:
            check_range(data["from_"], data["to"])
        if data.get("sections") == []:
            raise ValidationError("Choose at least one section.", "sections")
