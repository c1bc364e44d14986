"""Shapes of reminders and push subscriptions: what a client may send, what it gets back."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import time
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from diary.schemas.common import UTCDateTimeField, no_duplicates

CHANNELS = ("push", "email")
TIME_PATTERN = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class LocalTime(fields.Field[time]):
    """A wall-clock time as "HH:MM" (24 hours)."""

    default_error_messages = {"invalid": "Give a time as HH:MM, e.g. 20:00."}  # noqa: RUF012

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{value.hour:02d}:{value.minute:02d}"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        match = TIME_PATTERN.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise self.make_error("invalid")
        return time(int(match[1]), int(match[2]))


class WholeNumber(fields.Integer):
    """A real JSON integer (not 7.0, "7", true or NaN)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


class Day(WholeNumber):
    """A weekday, Monday 0 to Sunday 6."""

    default_error_messages = {"invalid": "Give days as whole numbers, Monday 0 to Sunday 6."}  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            validate=validate.Range(min=0, max=6, error="Days run from 0 (Monday) to 6 (Sunday)."),
            **kwargs,
        )


class StrictBoolean(fields.Boolean):
    """true or false, nothing that merely looks like them."""

    default_error_messages = {"invalid": "Give true or false."}  # noqa: RUF012

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _days_field(**kwargs: Any) -> fields.List[int]:
    return fields.List(
        Day(),
        validate=[validate.Length(min=1, max=7, error="Choose at least one day."), no_duplicates],
        **kwargs,
    )


def _channels_field(**kwargs: Any) -> fields.List[str]:
    return fields.List(
        fields.String(validate=validate.OneOf(CHANNELS, error="Use push or email.")),
        validate=[
            validate.Length(min=1, max=2, error="Choose push, e-mail or both."),
            no_duplicates,
        ],
        **kwargs,
    )


class ReminderInSchema(Schema):
    """A new reminder (and, partially, a change to one)."""

    time = LocalTime(required=True)
    days = _days_field(load_default=lambda: list(range(7)))
    channels = _channels_field(load_default=lambda: ["push"])
    enabled = StrictBoolean(load_default=True)


class ReminderPatchSchema(Schema):
    time = LocalTime()
    days = _days_field()
    channels = _channels_field()
    enabled = StrictBoolean()

    @validates_schema
    def _something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.")


class ReminderSchema(Schema):
    """A reminder as the API answers it."""

    id = fields.UUID(dump_only=True)
    time = LocalTime(attribute="local_time", dump_only=True)
    days = fields.List(fields.Integer(), dump_only=True)
    channels = fields.List(fields.String(), dump_only=True)
    enabled = fields.Boolean(dump_only=True)
    next_fire_at = UTCDateTimeField(dump_only=True, allow_none=True)
    created_at = UTCDateTimeField(dump_only=True)
    updated_at = UTCDateTimeField(dump_only=True)


class ReminderListSchema(Schema):
    items = fields.List(fields.Nested(ReminderSchema), dump_only=True)


def _b64url_bytes(value: str, size: int, message: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValidationError(message) from error
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise ValidationError(message)


def _p256dh(value: str) -> None:
    _b64url_bytes(value, 65, "Not a P-256 public key (base64url, 65 bytes).")


def _auth(value: str) -> None:
    _b64url_bytes(value, 16, "Not a push auth secret (base64url, 16 bytes).")


def _endpoint(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError("Give the push service's https address.")


class PushKeysSchema(Schema):
    p256dh = fields.String(required=True, validate=[validate.Length(max=128), _p256dh])
    auth = fields.String(required=True, validate=[validate.Length(max=64), _auth])


class PushSubscriptionInSchema(Schema):
    """A browser's PushSubscription as its toJSON() gives it."""

    endpoint = fields.String(required=True, validate=[validate.Length(max=1024), _endpoint])
    expiration_time = fields.Raw(data_key="expirationTime", load_default=None, allow_none=True)
    keys = fields.Nested(PushKeysSchema, required=True)


class PushSubscriptionDeleteSchema(Schema):
    """Which subscription to forget: the endpoint is enough (the rest is ignored)."""

    endpoint = fields.String(required=True, validate=validate.Length(max=1024))
    expiration_time = fields.Raw(data_key="expirationTime", load_default=None, allow_none=True)
    keys = fields.Raw(load_default=None, allow_none=True)


class PushSubscriptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    endpoint = fields.String(dump_only=True)
    created_at = UTCDateTimeField(dump_only=True)


class VapidKeySchema(Schema):
    key = fields.String(dump_only=True)


class TestResultSchema(Schema):
    push_sent = fields.Integer(dump_only=True)
    push_removed = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)


class SnoozeSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(max=500))
    minutes = WholeNumber(
        load_default=30,
        validate=validate.Range(min=5, max=240, error="Snooze for 5 to 240 minutes."),
    )


class SnoozedSchema(Schema):
    next_fire_at = UTCDateTimeField(dump_only=True)
