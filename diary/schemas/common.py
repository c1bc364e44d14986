"""Fields and checks that several schemas share."""

from __future__ import annotations

import unicodedata
import zoneinfo
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from marshmallow import ValidationError, fields, validate


@cache
def known_timezones() -> frozenset[str]:
    """Every IANA zone name this machine knows (tzdata ships them)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError("Not a known time zone; use an IANA name such as Europe/Berlin.")


def validate_plain_text(value: str) -> None:
    """Refuse control characters (NUL and friends) but allow newlines and tabs."""
    for char in value:
        if char not in "\n\r\t" and unicodedata.category(char) in ("Cc", "Cs"):
            raise ValidationError("Contains a control character that cannot be stored.")


class TrimmedString(fields.String):
    """A string with surrounding white space removed before validation."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Email(fields.Email):
    """An e-mail address, trimmed and lower-cased (accounts are case-insensitive)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(max=254))
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
        return super()._deserialize(value, attr, data, **kwargs).lower()


SCORE_ERROR = "Give a whole number from 0 to 10."


class Score(fields.Integer):
    """A 0 to 10 score: a real JSON integer (not 7.0, "7", true or NaN)."""

    default_error_messages = {"invalid": SCORE_ERROR}  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "validate", validate.Range(min=0, max=10, error="Give a whole number from 0 to 10.")
        )
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


class UTCDateTimeField(fields.AwareDateTime):
    """Read ISO 8601 with an offset; write UTC with a Z."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Give a date and time in ISO 8601, e.g. 2026-03-29T08:30:00+02:00.",
        "invalid_awareness": "Add the time zone offset, e.g. +02:00 or Z.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return str(value.astimezone(UTC).isoformat().replace("+00:00", "Z"))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str) or len(value) > 40:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)


EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)


class DiaryDate(fields.Date):
    """A day a diary can be about: 1900 to 2199 (so that date sums never leave the calendar)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "validate",
            validate.Range(
                min=EARLIEST_DAY, max=LATEST_DAY, error="Give a date between 1900 and 2199."
            ),
        )
        super().__init__(**kwargs)


def no_duplicates(values: list[Any]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Each item may appear only once.")
