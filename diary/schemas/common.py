"""Fields and checks that several schemas share."""

from __future__ import annotations

import unicodedata
import zoneinfo
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
