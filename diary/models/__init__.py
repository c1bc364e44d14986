"""The SQLAlchemy models, one module per aggregate; importing this registers them all."""

from diary.models.accounts import RecoveryCode, User, UserSession
from diary.models.audit import AuditEvent
from diary.models.care_team import CareLink, Comment, ReportLink
from diary.models.entries import (
    PainDailyStat,
    PainEntry,
    PainEntryLocation,
    PainEntryRevision,
)
from diary.models.questionnaires import QuestionnaireResponse
from diary.models.reminders import PushSubscription, ReminderDelivery, ReminderSchedule
from diary.models.treatments import Medication, Treatment

__all__ = [
    "AuditEvent",
    "CareLink",
    "Comment",
    "Medication",
    "PainDailyStat",
    "PainEntry",
    "PainEntryLocation",
    "PainEntryRevision",
    "PushSubscription",
    "QuestionnaireResponse",
    "RecoveryCode",
    "ReminderDelivery",
    "ReminderSchedule",
    "ReportLink",
    "Treatment",
    "User",
    "UserSession",
]
