"""Shapes of the care team: invitations, links, comments, the audit trail, the dashboard."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from diary.models.care_team import ROLES, SCOPES
from diary.schemas.common import (
    DiaryDate,
    TrimmedString,
    UTCDateTimeField,
    no_duplicates,
    validate_plain_text,
)


class InvitationInSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES, error="Unknown scope; use {choices}.")),
        required=True,
        validate=[
            validate.Length(min=1, error="Choose at least one thing to share."),
            no_duplicates,
        ],
    )
    expires_in_days = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=1, max=3650, error="Give 1 to 3650 days."),
    )
    label = TrimmedString(
        allow_none=True,
        load_default=None,
        validate=[validate.Length(max=80), validate_plain_text],
    )


class InvitationOutSchema(Schema):
    id = fields.UUID()
    token = fields.String()
    invite_url = fields.String()
    expires_at = UTCDateTimeField()


class AcceptSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class LinkPatchSchema(Schema):
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES, error="Unknown scope; use {choices}.")),
        validate=[
            validate.Length(min=1, error="Choose at least one thing to share."),
            no_duplicates,
        ],
    )
    expires_in_days = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=3650, error="Give 1 to 3650 days.")
    )

    @validates_schema
    def _something(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Send scopes or expires_in_days.")


class CareLinkSchema(Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    patient_name = fields.String()
    grantee_id = fields.UUID(allow_none=True)
    grantee_name = fields.String(allow_none=True)
    role = fields.String()
    scopes = fields.List(fields.String())
    label = fields.String(allow_none=True)
    status = fields.String()
    created_at = UTCDateTimeField()
    accepted_at = UTCDateTimeField(allow_none=True)
    expires_at = UTCDateTimeField(allow_none=True)
    revoked_at = UTCDateTimeField(allow_none=True)


class LinksSchema(Schema):
    as_patient = fields.List(fields.Nested(CareLinkSchema))
    as_grantee = fields.List(fields.Nested(CareLinkSchema))


class CommentInSchema(Schema):
    body = TrimmedString(
        required=True,
        validate=[
            validate.Length(min=1, max=2000, error="Write 1 to 2000 characters."),
            validate_plain_text,
        ],
    )
    entry_id = fields.UUID(load_default=None)
    day = DiaryDate(load_default=None)

    @validates_schema
    def _one_target(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("entry_id") is None) == (data.get("day") is None):
            raise ValidationError("Comment on an entry (entry_id) or on a day (day), not both.")


class CommentSchema(Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    author_id = fields.UUID(allow_none=True)
    author_name = fields.Function(lambda c: c.author.display_name if c.author else None)
    entry_id = fields.UUID(allow_none=True)
    day = fields.Date(allow_none=True)
    body = fields.String()
    created_at = UTCDateTimeField()


class CommentListSchema(Schema):
    items = fields.List(fields.Nested(CommentSchema))


class AuditEventSchema(Schema):
    occurred_at = UTCDateTimeField(attribute="event.occurred_at")
    actor_id = fields.UUID(attribute="event.actor_id", allow_none=True)
    actor_name = fields.String(allow_none=True)
    link_id = fields.UUID(attribute="event.link_id", allow_none=True)
    link_kind = fields.String(attribute="event.link_kind")
    action = fields.String(attribute="event.action")
    path = fields.String(attribute="event.path")


class AuditTrailSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema))


class DashboardPatientSchema(Schema):
    patient_id = fields.UUID()
    display_name = fields.String()
    role = fields.String()
    scopes = fields.List(fields.String())
    last_entry_at = UTCDateTimeField(allow_none=True)
    mean_7d = fields.Float(allow_none=True)
    mean_previous_7d = fields.Float(allow_none=True)
    change = fields.Float(allow_none=True)
    days_logged_7d = fields.Integer()
    alerts = fields.List(fields.String())
    urgency = fields.Integer()


class DashboardSchema(Schema):
    patients = fields.List(fields.Nested(DashboardPatientSchema))


def dump_dashboard(cards: list[Any]) -> dict[str, Any]:
    """DashboardSchema().dump() of the cards, written out by hand: 200 patients a view.

    A test holds the two to the same answer.
    """
    return {
        "patients": [
            {
                "patient_id": str(c.patient.id),
                "display_name": c.patient.display_name,
                "role": c.link.role,
                "scopes": list(c.link.scopes),
                "last_entry_at": c.last_entry_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
                if c.last_entry_at is not None
                else None,
                "mean_7d": c.mean_7d,
                "mean_previous_7d": c.mean_previous_7d,
                "change": c.change,
                "days_logged_7d": c.days_logged_7d,
                "alerts": list(c.alerts),
                "urgency": c.urgency,
            }
            for c in cards
        ]
    }


class ReportLinkInSchema(Schema):
    from_ = DiaryDate(data_key="from", required=True)
    to = DiaryDate(required=True)
    expires_in_days = fields.Integer(
        strict=True,
        load_default=7,
        validate=validate.Range(min=1, max=30, error="A report link lives 1 to 30 days."),
    )
    label = TrimmedString(
        allow_none=True, load_default=None, validate=[validate.Length(max=80), validate_plain_text]
    )

    @validates_schema
    def _range(self, data: dict[str, Any], **_: Any) -> None:
        if "from_" in data and "to" in data:
            if data["from_"] > data["to"]:
                raise ValidationError("'from' must not be after 'to'.", field_name="from")
            if (data["to"] - data["from_"]).days > 3652:
                raise ValidationError("At most ten years.", field_name="from")


class ReportLinkSchema(Schema):
    id = fields.UUID()
    from_ = fields.Date(attribute="from_date", data_key="from")
    to = fields.Date(attribute="to_date")
    label = fields.String(allow_none=True)
    created_at = UTCDateTimeField()
    expires_at = UTCDateTimeField()
    revoked_at = UTCDateTimeField(allow_none=True)


class ReportLinkCreatedSchema(ReportLinkSchema):
    token = fields.String()
    url = fields.String()


class ReportLinkListSchema(Schema):
    items = fields.List(fields.Nested(ReportLinkSchema))
