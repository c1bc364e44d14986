"""The diary as CSV (one row per entry, RFC 4180), and the rules both directions share.

The columns, in this order (README.md lists them too):

    id                      the entry's UUID; importing the same row again changes nothing
    recorded_at_utc         when, in UTC (ISO 8601, ending in Z)
    recorded_at_local       the same moment in the patient's time zone, with its offset
    local_date              the patient's day of the entry (YYYY-MM-DD)
    timezone                the IANA zone of recorded_at_local
    intensity               pain right now, 0-10
    worst_24h least_24h average_24h                 0-10 or empty
    regions                 body region codes, in the order chosen
    region_intensities      code=score for the regions that have their own score
    region_qualities        code=quality,quality for the regions that have their own feelings
    qualities               quality codes for the whole entry
    interference_<item>     the seven BPI interference items, 0-10 or empty
    sleep_quality mood      0-10 or empty
    triggers medications    the patient's own words (medications by name)
    checkin_dissociation checkin_nausea checkin_sleep   0-3 or empty
    checkin_urinary         yes, no or empty
    note                    the note as typed: commas, quotes, new lines and emoji included

Lists are separated by "; ". Inside a list item a ";" is written "\\;" and a backslash "\\\\".

Spreadsheet safety: a cell whose text, after any leading single quotes, starts with = + - @,
a tab or a carriage return gets one more single quote in front, so no spreadsheet runs it as
a formula. The importer removes exactly that one quote again, which keeps the round trip
lossless: a note "=1+1" is written "'=1+1" and read back as "=1+1"; a note "'=1+1" is
written "''=1+1" and read back as "'=1+1".
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from diary.database import DbSession
from diary.models import (
    AuditEvent,
    CareLink,
    Comment,
    Medication,
    PainDailyStat,
    PainEntry,
    PushSubscription,
    QuestionnaireResponse,
    ReminderDelivery,
    ReminderSchedule,
    ReportLink,
    Treatment,
    User,
    UserSession,
)
from diary.schemas.entries import INTERFERENCE_ITEMS
from diary.services.medications import names_by_id

CHECKIN_SCALES = ("dissociation", "nausea", "sleep")
COLUMNS: tuple[str, ...] = (
    "id",
    "recorded_at_utc",
    "recorded_at_local",
    "local_date",
    "timezone",
    "intensity",
    "worst_24h",
    "least_24h",
    "average_24h",
    "regions",
    "region_intensities",
    "region_qualities",
    "qualities",
    *(f"interference_{item}" for item in INTERFERENCE_ITEMS),
    "sleep_quality",
    "mood",
    "triggers",
    "medications",
    *(f"checkin_{item}" for item in CHECKIN_SCALES),
    "checkin_urinary",
    "note",
)
SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark; the importer drops it.
BOM = "\ufeff"


def protect(cell: str) -> str:
    """Add the one quote that keeps a spreadsheet from reading the cell as a formula."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def unprotect(cell: str) -> str:
    """Remove exactly the quote protect() added (and nothing from any other cell)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def join_list(items: Iterable[str]) -> str:
    """A list cell: items separated by "; ", with ";" and "\\" inside items escaped."""
    return SEPARATOR.join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def split_list(cell: str) -> list[str]:
    """The items of a list cell written by join_list (surrounding spaces dropped)."""
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == ";":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def entry_row(entry: PainEntry, zone: ZoneInfo, timezone: str, names: dict[str, str]) -> list[str]:
    """One entry as the cells of COLUMNS (before the spreadsheet protection)."""
    interference = entry.interference or {}
    checkin = entry.checkin or {}
    urinary = checkin.get("urinary")
    locations = entry.locations
    return [
        str(entry.id),
        entry.recorded_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        entry.recorded_at.astimezone(zone).isoformat(),
        entry.local_date.isoformat(),
        timezone,
        str(entry.intensity),
        _number(entry.worst_24h),
        _number(entry.least_24h),
        _number(entry.average_24h),
        join_list(loc.region for loc in locations),
        join_list(
            f"{loc.region}={loc.intensity}" for loc in locations if loc.intensity is not None
        ),
        join_list(f"{loc.region}={','.join(loc.qualities)}" for loc in locations if loc.qualities),
        join_list(entry.qualities or []),
        *(_number(interference.get(item)) for item in INTERFERENCE_ITEMS),
        _number(entry.sleep_quality),
        _number(entry.mood),
        join_list(entry.triggers or []),
        join_list(names.get(mid, mid) for mid in entry.medications_taken or []),
        *(_number(checkin.get(item)) for item in CHECKIN_SCALES),
        "" if urinary is None else ("yes" if urinary else "no"),
        entry.note or "",
    ]


def live_entries(session: DbSession, patient: User) -> Iterator[PainEntry]:
    """The patient's live entries, oldest first."""
    query = (
        select(PainEntry)
        .where(PainEntry.patient_id == patient.id, PainEntry.deleted_at.is_(None))
        .order_by(PainEntry.recorded_at, PainEntry.id)
        .execution_options(yield_per=500)
    )
    yield from session.scalars(query)


def write_csv(rows: Iterable[list[str]]) -> str:
    """RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([protect(cell) for cell in row])
    return BOM + buffer.getvalue()


def diary_csv(session: DbSession, patient: User) -> str:
    """The patient's whole live diary as CSV text."""
    zone = ZoneInfo(patient.timezone)
    names = names_by_id(session, patient)
    return write_csv(
        entry_row(entry, zone, patient.timezone, names) for entry in live_entries(session, patient)
    )


# --- The whole account as JSON -----------------------------------------------------------

# Secrets are never exported: hashes of passwords and tokens, the browser's push keys.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "content_hash", "p256dh", "auth"})
ACCOUNT_FORMAT = "pain-diary-account"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def columns_of(row: Any) -> dict[str, Any]:
    """Every column of a row as JSON values (all of them, so nothing new is ever left out)."""
    return {
        column.key: _plain(getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in SECRET_COLUMNS
    }


def _all(session: DbSession, query: Select[Any]) -> list[dict[str, Any]]:
    return [columns_of(row) for row in session.scalars(query)]


def account_json(session: DbSession, user: User, now: datetime) -> dict[str, Any]:
    """Everything stored about the user, deleted entries, care links and audit trail included."""
    uid = user.id
    entries = []
    for entry in session.scalars(
        select(PainEntry).where(PainEntry.patient_id == uid).order_by(PainEntry.recorded_at)
    ):
        entries.append(
            {
                **columns_of(entry),
                "locations": [columns_of(location) for location in entry.locations],
                "revisions": [columns_of(revision) for revision in entry.revisions],
            }
        )
    schedules = select(ReminderSchedule.id).where(ReminderSchedule.user_id == uid)
    return {
        "format": ACCOUNT_FORMAT,
        "version": 1,
        "exported_at": _plain(now),
        "account": columns_of(user),
        "sessions": _all(session, select(UserSession).where(UserSession.user_id == uid)),
        "entries": entries,
        "daily_summaries": _all(
            session, select(PainDailyStat).where(PainDailyStat.patient_id == uid)
        ),
        "medications": _all(session, select(Medication).where(Medication.patient_id == uid)),
        "treatments": _all(session, select(Treatment).where(Treatment.patient_id == uid)),
        "questionnaires": _all(
            session,
            select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == uid),
        ),
        "reminders": _all(session, select(ReminderSchedule).where(ReminderSchedule.user_id == uid)),
        "reminder_deliveries": _all(
            session, select(ReminderDelivery).where(ReminderDelivery.schedule_id.in_(schedules))
        ),
        "push_subscriptions": _all(
            session, select(PushSubscription).where(PushSubscription.user_id == uid)
        ),
        "care_links": {
            "shared_by_me": _all(session, select(CareLink).where(CareLink.patient_id == uid)),
            "shared_with_me": _all(session, select(CareLink).where(CareLink.grantee_id == uid)),
        },
        "report_links": _all(session, select(ReportLink).where(ReportLink.patient_id == uid)),
        "comments": {
            "on_my_diary": _all(session, select(Comment).where(Comment.patient_id == uid)),
            "written_by_me": _all(session, select(Comment).where(Comment.author_id == uid)),
        },
        "audit_trail": {
            "reads_of_my_diary": _all(
                session,
                select(AuditEvent).where(AuditEvent.patient_id == uid).order_by(AuditEvent.id),
            ),
            "my_reads_of_other_diaries": _all(
                session,
                select(AuditEvent).where(AuditEvent.actor_id == uid).order_by(AuditEvent.id),
            ),
        },
    }
