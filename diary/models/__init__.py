"""The SQLAlchemy models, one module per aggregate; importing this registers them all."""

from diary.models.accounts import User, UserSession
from diary.models.entries import PainEntry, PainEntryLocation, PainEntryRevision

__all__ = ["PainEntry", "PainEntryLocation", "PainEntryRevision", "User", "UserSession"]
