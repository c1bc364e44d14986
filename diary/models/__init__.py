"""The SQLAlchemy models, one module per aggregate; importing this registers them all."""

from diary.models.accounts import User, UserSession
from diary.models.audit import AuditEvent
from diary.models.care_team import CareLink, Comment, ReportLink
from diary.models.entries import (
    PainDailyStat,
    PainEntry,
    PainEntryLocation,
    PainEntryRevision,
)

__all__ = [
    "AuditEvent",
    "CareLink",
    "Comment",
    "PainDailyStat",
    "PainEntry",
    "PainEntryLocation",
    "PainEntryRevision",
    "ReportLink",
    "User",
    "UserSession",
]
