"""Erase an account: the diary and everything about the person, in one transaction.

What goes: entries (their places and revisions), the daily roll-up, treatments,
medications, questionnaires, reminders with their deliveries, push subscriptions, comments
written by or about them, care links both ways (so every link ends), report links,
sessions, and the account itself.

What stays: the audit trail, which is append-only (a trigger refuses DELETE). Its rows hold
only ids, and once the account is gone those ids lead to no one. What the person wrote in
someone else's diary (logging on their behalf) stays that patient's; it just no longer
says who wrote it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, or_, select, update

from diary.database import DbSession
from diary.models import (
    CareLink,
    Comment,
    Medication,
    PainDailyStat,
    PainEntry,
    PainEntryLocation,
    PainEntryRevision,
    PushSubscription,
    QuestionnaireResponse,
    ReminderDelivery,
    ReminderSchedule,
    ReportLink,
    Treatment,
    User,
    UserSession,
)

# Bulk statements: the session's copies are not synchronised (the request ends right after).
_BULK: dict[str, Any] = {"synchronize_session": False}


def _forget_authorship(session: DbSession, uid: uuid.UUID) -> None:
    """Keep what they wrote in other people's diaries, without their id on it."""
    theirs = select(PainEntry.id).where(PainEntry.author_id == uid, PainEntry.patient_id != uid)
    revisions = session.scalars(
        select(PainEntryRevision).where(PainEntryRevision.entry_id.in_(theirs))
    )
    for revision in revisions:
        if revision.snapshot.get("author_id") == str(uid):
            revision.snapshot = {**revision.snapshot, "author_id": None}
    session.flush()
    for model in (PainEntry, Treatment, QuestionnaireResponse):
        session.execute(
            update(model).where(model.author_id == uid).values(author_id=None),
            execution_options=_BULK,
        )
    session.execute(
        update(PainEntryRevision)
        .where(PainEntryRevision.edited_by_id == uid)
        .values(edited_by_id=None),
        execution_options=_BULK,
    )


def erase_account(session: DbSession, user: User) -> None:
    """Delete the user and everything that is theirs (flushes; the caller commits)."""
    uid = user.id
    _forget_authorship(session, uid)
    entries = select(PainEntry.id).where(PainEntry.patient_id == uid)
    schedules = select(ReminderSchedule.id).where(ReminderSchedule.user_id == uid)
    statements = [
        delete(Comment).where(
            or_(Comment.patient_id == uid, Comment.author_id == uid, Comment.entry_id.in_(entries))
        ),
        delete(PainEntryRevision).where(PainEntryRevision.entry_id.in_(entries)),
        delete(PainEntryLocation).where(PainEntryLocation.entry_id.in_(entries)),
        delete(PainEntry).where(PainEntry.patient_id == uid),
        delete(PainDailyStat).where(PainDailyStat.patient_id == uid),
        delete(Treatment).where(Treatment.patient_id == uid),
        delete(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == uid),
        delete(Medication).where(Medication.patient_id == uid),
        delete(ReminderDelivery).where(ReminderDelivery.schedule_id.in_(schedules)),
        delete(ReminderSchedule).where(ReminderSchedule.user_id == uid),
        delete(PushSubscription).where(PushSubscription.user_id == uid),
        delete(CareLink).where(or_(CareLink.patient_id == uid, CareLink.grantee_id == uid)),
        delete(ReportLink).where(ReportLink.patient_id == uid),
        delete(UserSession).where(UserSession.user_id == uid),
        delete(User).where(User.id == uid),
    ]
    for statement in statements:
        session.execute(statement, execution_options=_BULK)
    session.flush()
