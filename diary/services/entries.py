"""The diary's rules: create idempotently, list by day, edit with revisions, delete softly."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from diary.database import DbSession
from diary.errors import Conflict, NotFound, ValidationFailed
from diary.models import PainEntry, PainEntryLocation, PainEntryRevision, User
from diary.schemas.entries import EntrySchema
from diary.services import rollups
from diary.services.medications import checked_taken

FUTURE_TOLERANCE = timedelta(minutes=10)
UNDO_WINDOW = timedelta(days=30)
SCALAR_FIELDS = (
    "intensity",
    "worst_24h",
    "least_24h",
    "average_24h",
    "qualities",
    "interference",
    "sleep_quality",
    "mood",
    "triggers",
    "note",
    "checkin",
)


def local_date_of(moment: datetime, timezone: str) -> date:
    """The patient's calendar day at that moment."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def content_hash(data: dict[str, Any]) -> str:
    """A stable digest of what the client sent (its id aside)."""
    body = {key: value for key, value in data.items() if key != "id"}
    canonical = json.dumps(body, sort_keys=True, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | uuid.UUID):
        return str(value)
    raise TypeError(type(value).__name__)


def _check_recorded_at(recorded_at: datetime, now: datetime) -> None:
    if recorded_at > now + FUTURE_TOLERANCE:
        raise ValidationFailed(
            {"recorded_at": ["That is in the future; an entry can be at most 10 minutes ahead."]}
        )


def _set_locations(entry: PainEntry, locations: list[dict[str, Any]]) -> None:
    entry.locations = [
        PainEntryLocation(
            region=location["region"],
            position=position,
            intensity=location.get("intensity"),
            qualities=list(location.get("qualities") or []),
        )
        for position, location in enumerate(locations)
    ]


def create_entry(
    session: DbSession, patient: User, author: User, data: dict[str, Any], now: datetime
) -> tuple[PainEntry, bool]:
    """Store a new entry; a retry of the same body returns the stored one (created False)."""
    digest = content_hash(data)
    client_id = data.get("id")
    if client_id is not None:
        existing = session.get(PainEntry, client_id)
        if existing is not None:
            return _replay(existing, patient, digest), False

    recorded_at = data.get("recorded_at") or now
    _check_recorded_at(recorded_at, now)
    fields = {k: data[k] for k in SCALAR_FIELDS if k in data}
    if "checkin" in fields:
        fields["checkin"] = _checkin(fields["checkin"])
    entry = PainEntry(
        id=client_id or uuid.uuid4(),
        patient_id=patient.id,
        author_id=author.id,
        recorded_at=recorded_at,
        local_date=local_date_of(recorded_at, patient.timezone),
        content_hash=digest,
        created_at=now,
        updated_at=now,
        medications_taken=checked_taken(session, patient, data.get("medications_taken")),
        **{"qualities": [], "triggers": [], **fields},
    )
    _set_locations(entry, data.get("locations") or [])
    if client_id is None:  # a fresh server id cannot clash: no savepoint needed
        _store(session, entry)
        return entry, True
    try:
        with session.begin_nested():
            _store(session, entry)
    except IntegrityError:
        # Another request stored this id first; it is committed, so read it.
        existing = session.get(PainEntry, client_id, populate_existing=True)
        if existing is None:
            raise
        return _replay(existing, patient, digest), False
    return entry, True


def _store(session: DbSession, entry: PainEntry) -> None:
    session.add(entry)
    session.flush()
    rollups.add_score(session, entry.patient_id, entry.local_date, entry.intensity)


def _checkin(answers: dict[str, Any] | None) -> dict[str, Any] | None:
    """Keep the answered check-in items; none answered is no check-in."""
    kept = {key: value for key, value in (answers or {}).items() if value is not None}
    return kept or None


def _replay(existing: PainEntry, patient: User, digest: str) -> PainEntry:
    if existing.patient_id != patient.id:
        raise Conflict("This id is already in use; generate a new one.")
    if existing.deleted_at is not None:
        raise Conflict("This entry was deleted. Restore it instead of sending it again.")
    if existing.content_hash != digest:
        raise Conflict("An entry with this id exists with other content.")
    return existing


def get_entry(
    session: DbSession, patient: User, entry_id: uuid.UUID, *, deleted: bool = False
) -> PainEntry:
    """The patient's entry; NotFound when absent, someone else's, or (unless asked) deleted."""
    entry = session.get(PainEntry, entry_id)
    if entry is None or entry.patient_id != patient.id:
        raise NotFound("There is no such entry.")
    if (entry.deleted_at is not None) != deleted:
        raise NotFound("There is no such entry.")
    return entry


@dataclass(frozen=True)
class Page:
    items: list[PainEntry]
    next_cursor: str | None


def _encode_cursor(entry: PainEntry) -> str:
    raw = f"{entry.recorded_at.astimezone(UTC).isoformat()}|{entry.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, entry_id = raw.split("|")
        when = datetime.fromisoformat(moment)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, uuid.UUID(entry_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise ValidationFailed({"cursor": ["Not a cursor this API gave out."]}) from error


def list_entries(
    session: DbSession,
    patient: User,
    *,
    from_: date | None = None,
    to: date | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """The patient's live entries, newest first, a page at a time."""
    query = select(PainEntry).where(
        PainEntry.patient_id == patient.id, PainEntry.deleted_at.is_(None)
    )
    if from_ is not None:
        query = query.where(PainEntry.local_date >= from_)
    if to is not None:
        query = query.where(PainEntry.local_date <= to)
    if cursor:
        when, last_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                PainEntry.recorded_at < when,
                and_(PainEntry.recorded_at == when, PainEntry.id < last_id),
            )
        )
    query = query.order_by(PainEntry.recorded_at.desc(), PainEntry.id.desc()).limit(limit + 1)
    rows = list(session.scalars(query))
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, _encode_cursor(items[-1]) if more and items else None)


def count_on_day(session: DbSession, patient: User, day: date) -> int:
    """How many live entries the patient has on one of their days."""
    query = select(func.count()).where(
        PainEntry.patient_id == patient.id,
        PainEntry.deleted_at.is_(None),
        PainEntry.local_date == day,
    )
    return session.scalar(query) or 0


def last_entry(session: DbSession, patient: User) -> PainEntry | None:
    """The patient's most recent live entry ("same as last time")."""
    page = list_entries(session, patient, limit=1)
    return page.items[0] if page.items else None


def update_entry(
    session: DbSession,
    patient: User,
    entry: PainEntry,
    changes: dict[str, Any],
    editor: User,
    now: datetime,
) -> PainEntry:
    """Apply an edit, keeping the entry as it was as a revision."""
    day_before = entry.local_date
    taken = None
    if "medications_taken" in changes:
        # Ids already on the entry stay valid even if the medication was removed since.
        taken = checked_taken(
            session, patient, changes["medications_taken"], keep=entry.medications_taken
        )
    session.add(
        PainEntryRevision(
            entry_id=entry.id,
            version=entry.version,
            snapshot=EntrySchema().dump(entry),
            edited_at=now,
            edited_by_id=editor.id,
        )
    )
    if "recorded_at" in changes:
        _check_recorded_at(changes["recorded_at"], now)
        entry.recorded_at = changes["recorded_at"]
        entry.local_date = local_date_of(entry.recorded_at, patient.timezone)
    for key in SCALAR_FIELDS:
        if key in changes:
            value = changes[key]
            if key in ("qualities", "triggers") and value is None:
                value = []
            if key == "checkin":
                value = _checkin(value)
            setattr(entry, key, value)
    if taken is not None:
        entry.medications_taken = taken
    if "locations" in changes:
        # Delete the old rows first: a region kept across the edit reuses its key.
        entry.locations.clear()
        session.flush()
        _set_locations(entry, changes["locations"] or [])
    entry.version += 1
    entry.updated_at = now
    session.flush()
    for day in {day_before, entry.local_date}:
        rollups.recount_day(session, entry.patient_id, day)
    return entry


def list_revisions(session: DbSession, entry: PainEntry) -> list[PainEntryRevision]:
    return list(
        session.scalars(
            select(PainEntryRevision)
            .where(PainEntryRevision.entry_id == entry.id)
            .order_by(PainEntryRevision.version.desc())
        )
    )


def delete_entry(session: DbSession, entry: PainEntry, now: datetime) -> None:
    """Hide the entry; it can be restored for 30 days."""
    entry.deleted_at = now
    rollups.recount_day(session, entry.patient_id, entry.local_date)


def restore_entry(
    session: DbSession, patient: User, entry_id: uuid.UUID, now: datetime
) -> PainEntry:
    """Bring back an entry deleted less than 30 days ago."""
    entry = get_entry(session, patient, entry_id, deleted=True)
    if entry.deleted_at is None or now - entry.deleted_at > UNDO_WINDOW:
        raise NotFound("This entry was deleted more than 30 days ago.")
    entry.deleted_at = None
    rollups.recount_day(session, entry.patient_id, entry.local_date)
    return entry
