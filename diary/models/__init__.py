"""The SQLAlchemy models, one module per aggregate; importing this registers them all."""

from diary.models.accounts import User, UserSession
from diary.models.entries import PainEntry, PainEntryLocation, PainEntryRevision
from diary.models.questionnaires import QuestionnaireResponse
from diary.models.treatments import Medication, Treatment

__all__ = [
    "Medication",
    "PainEntry",
    "PainEntryLocation",
    "PainEntryRevision",
    "QuestionnaireResponse",
    "Treatment",
    "User",
    "UserSession",
]
