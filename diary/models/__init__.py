"""The SQLAlchemy models, one module per aggregate; importing this registers them all."""

from diary.models.accounts import User, UserSession
from diary.models.entries import PainEntry, PainEntryLocation, PainEntryRevision
from diary.models.reminders import PushSubscription, ReminderDelivery, ReminderSchedule

__all__ = [
    "PainEntry",
    "PainEntryLocation",
    "PainEntryRevision",
    "PushSubscription",
    "ReminderDelivery",
    "ReminderSchedule",
    "User",
    "UserSession",
]
