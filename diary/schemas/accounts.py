"""Shapes of accounts: registration, sign-in and the user as others see it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from diary.schemas.common import Email, TrimmedString, validate_plain_text, validate_timezone

PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # argon2 would hash megabytes; nobody types more than this


class RegisterSchema(Schema):
    email = Email(required=True)
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            error="Use at least {min} characters (a short sentence is easiest to remember).",
        ),
    )
    display_name = TrimmedString(
        required=True,
        validate=[
            validate.Length(min=1, max=80, error="Give a name of 1 to 80 characters."),
            validate_plain_text,
        ],
    )
    timezone = fields.String(required=True, validate=validate_timezone)


class LoginSchema(Schema):
    email = Email(required=True)
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX)
    )
    # The second step, for accounts with two-step sign-in on: one of the two.
    otp = fields.String(load_only=True, load_default=None, validate=validate.Length(max=12))
    recovery_code = fields.String(
        load_only=True, load_default=None, validate=validate.Length(max=40)
    )
    next = fields.String(load_only=True, load_default=None, allow_none=True)


class UserSchema(Schema):
    id = fields.UUID(dump_only=True)
    email = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    timezone = fields.String(dump_only=True)


class CsrfSchema(Schema):
    csrf_token = fields.String(dump_only=True)


class HealthSchema(Schema):
    status = fields.String(dump_only=True)
    database = fields.String(dump_only=True)


class PasswordChangeSchema(Schema):
    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX)
    )
    new_password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            error="Use at least {min} characters (a short sentence is easiest to remember).",
        ),
    )


class TotpStartSchema(Schema):
    secret = fields.String(dump_only=True)
    otpauth_uri = fields.String(dump_only=True)


class TotpConfirmSchema(Schema):
    otp = fields.String(required=True, load_only=True, validate=validate.Length(min=6, max=12))


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(fields.String(), dump_only=True)


class ReauthSchema(Schema):
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX)
    )
