"""CSV into the diary: our own export (a lossless round trip) or another app's, by a mapping.

Every row goes through the same schema as an entry posted to the API. Invalid rows are
reported by their line in the file and skipped; the valid ones are kept. A row carries its
entry id (our export does); a row without one gets a deterministic id, a UUID5 of the
patient and the row's content, so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import ValidationError
from sqlalchemy import select

from diary.database import DbSession
from diary.errors import DomainError, ValidationFailed
from diary.models import Medication, PainEntry, User
from diary.schemas.entries import INTERFERENCE_ITEMS, EntryInSchema
from diary.services import entries as entries_service
from diary.services import medications as medications_service
from diary.services.exports import CHECKIN_SCALES, split_list, unprotect

# Fixed forever: changing it would change every derived id and break idempotency.
IMPORT_NAMESPACE = uuid.UUID("5b0f7a52-4f0e-4c8e-9d55-6a1c2f3e8b71")
# What another app's columns can be mapped to; intensity and a date are needed.
MAPPABLE = {
    "recorded_at": "Date and time, in one column",
    "date": "Date",
    "time": "Time of day",
    "intensity": "Pain, 0 to 10",
    "worst_24h": "Worst pain in 24 hours",
    "least_24h": "Least pain in 24 hours",
    "average_24h": "Average pain in 24 hours",
    "sleep_quality": "Sleep quality",
    "mood": "Mood",
    "triggers": "Triggers (separated by commas or semicolons)",
    "note": "Note",
}
DATE_ORDERS = {
    "ymd": "Year first (2026-03-29)",
    "dmy": "Day first (29.03.2026)",
    "mdy": "Month first (03/29/2026)",
}
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I:%M:%S %p", "%I %p")
_WHOLE = re.compile(r"\d+(?:\.0+)?")
# A date alone (another app's daily log) is placed at noon, the middle of the patient's day.
NOON = time(12)


@dataclass(frozen=True)
class ColumnMapping:
    """Which of another app's columns holds what; `date_order` reads its dates."""

    columns: dict[str, str]
    date_order: str = "ymd"


@dataclass(frozen=True)
class Row:
    """One record of the file: the entry it describes, or why it cannot be one."""

    line: int
    data: dict[str, Any] | None
    medications: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    header: list[str]
    records: list[tuple[int, dict[str, str]]]

    @property
    def is_our_export(self) -> bool:
        return "intensity" in self.header and "recorded_at_utc" in self.header


@dataclass
class Problem:
    line: int
    reasons: list[str]


@dataclass
class Summary:
    rows: int = 0
    kept: int = 0
    duplicates: int = 0
    invalid: list[Problem] = field(default_factory=list)
    medications_added: list[str] = field(default_factory=list)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252 as spreadsheets write."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(text: str) -> Table:
    """The header and each non-blank record with the line it starts on."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationFailed({"file": ["The file is empty."]})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        header = [name.strip() for name in next(reader)]
        records = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                padded = cells + [""] * (len(header) - len(cells))
                records.append((start, dict(zip(header, padded, strict=False))))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValidationFailed(
            {"file": [f"Line {reader.line_num}: this is not a readable CSV file ({error})."]}
        ) from error
    return Table(header, records)


def _score(cell: str) -> int | str | None:
    """A whole number as int; anything else is passed on for the schema to refuse."""
    cell = cell.strip()
    if cell == "":
        return None
    return int(float(cell)) if _WHOLE.fullmatch(cell) else cell


def _iso(cell: str, zone: ZoneInfo) -> str | None:
    """An ISO 8601 time with an offset (one without is the patient's local time), or None."""
    try:
        moment = datetime.fromisoformat(cell.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()


def _pairs(cell: str) -> dict[str, str]:
    pairs = {}
    for item in split_list(cell):
        code, _, value = item.partition("=")
        pairs[code.strip()] = value.strip()
    return pairs


def _own_row(cells: Mapping[str, str], zone: ZoneInfo) -> tuple[dict[str, Any], list[str]]:
    """A row of our own export as the API's entry body (and the medication names)."""
    body: dict[str, Any] = {
        # Refused by the schema when neither column holds a time.
        "recorded_at": _iso(cells.get("recorded_at_utc") or "", zone)
        or _iso(cells.get("recorded_at_local") or "", zone)
        or cells.get("recorded_at_utc", ""),
        "intensity": _score(cells.get("intensity", "")),
        "qualities": split_list(cells.get("qualities", "")),
        "triggers": split_list(cells.get("triggers", "")),
        "note": cells.get("note") or None,
    }
    if cells.get("id", "").strip():
        body["id"] = cells["id"].strip()
    for name in ("worst_24h", "least_24h", "average_24h", "sleep_quality", "mood"):
        body[name] = _score(cells.get(name, ""))
    scores, feelings = (
        _pairs(cells.get("region_intensities", "")),
        _pairs(cells.get("region_qualities", "")),
    )
    body["locations"] = [
        {
            "region": region,
            "intensity": _score(scores.get(region, "")),
            "qualities": [q.strip() for q in feelings.get(region, "").split(",") if q.strip()],
        }
        for region in split_list(cells.get("regions", ""))
    ]
    interference = {
        item: _score(cells.get(f"interference_{item}", "")) for item in INTERFERENCE_ITEMS
    }
    body["interference"] = (
        interference if any(v is not None for v in interference.values()) else None
    )
    checkin: dict[str, Any] = {
        item: _score(cells.get(f"checkin_{item}", "")) for item in CHECKIN_SCALES
    }
    urinary = cells.get("checkin_urinary", "").strip().lower()
    checkin["urinary"] = {"yes": True, "no": False, "": None}.get(urinary, urinary)
    body["checkin"] = checkin if any(v is not None for v in checkin.values()) else None
    return body, split_list(cells.get("medications", ""))


def _date(cell: str, order: str) -> date:
    parts = re.split(r"[./-]", cell.strip())
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(cell)
    numbers = [int(p) for p in parts]
    year, month, day = {
        "ymd": numbers,
        "dmy": numbers[::-1],
        "mdy": [numbers[2], numbers[0], numbers[1]],
    }[order]
    return date(year + 2000 if year < 100 else year, month, day)


def _time(cell: str) -> time:
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(cell.strip().upper(), pattern).time()  # noqa: DTZ007 -- a time of day, placed in the patient's zone below
        except ValueError:
            continue
    raise ValueError(cell)


def _mapped_moment(cells: Mapping[str, str], mapping: ColumnMapping, zone: ZoneInfo) -> str:
    columns = mapping.columns
    if "recorded_at" in columns:
        raw = cells.get(columns["recorded_at"], "").strip()
        iso = _iso(raw, zone) if mapping.date_order == "ymd" else None
        if iso is not None:
            return iso
        day_part, _, time_part = raw.replace("T", " ").partition(" ")
    else:
        day_part = cells.get(columns["date"], "").strip()
        time_part = cells.get(columns["time"], "").strip() if "time" in columns else ""
    try:
        day = _date(day_part, mapping.date_order)
        at = _time(time_part) if time_part else NOON
    except ValueError:
        return f"{day_part} {time_part}".strip()  # the schema says it is not a date and time
    return datetime.combine(day, at, zone).isoformat()


def _mapped_row(cells: Mapping[str, str], mapping: ColumnMapping, zone: ZoneInfo) -> dict[str, Any]:
    columns = mapping.columns
    body: dict[str, Any] = {"recorded_at": _mapped_moment(cells, mapping, zone)}
    for name in ("intensity", "worst_24h", "least_24h", "average_24h", "sleep_quality", "mood"):
        if name in columns:
            body[name] = _score(cells.get(columns[name], ""))
    if "note" in columns:
        body["note"] = cells.get(columns["note"], "").strip() or None
    if "triggers" in columns:
        words = re.split(r"[,;]", cells.get(columns["triggers"], ""))
        body["triggers"] = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    return body


def check_mapping(header: list[str], mapping: ColumnMapping) -> None:
    """The mapping must name columns of this file, a date and the intensity."""
    errors: dict[str, list[str]] = {}
    for name, column in mapping.columns.items():
        if name not in MAPPABLE:
            errors[name] = ["Not something the diary can import."]
        elif column not in header:
            errors[name] = [f"The file has no column {column!r}."]
    if "intensity" not in mapping.columns:
        errors["intensity"] = ["Choose the column that holds the pain score."]
    if "recorded_at" not in mapping.columns and "date" not in mapping.columns:
        errors["date"] = ["Choose the column that holds the date."]
    if mapping.date_order not in DATE_ORDERS:
        errors["date_order"] = ["Choose how the dates are written."]
    if errors:
        raise ValidationFailed(errors)


def _messages(messages: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """marshmallow's nested messages as "field.sub: message" lines."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            yield from _messages(value, (*path, str(key)))
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from _messages(message, path)
    else:
        yield f"{'.'.join(path)}: {messages}" if path else str(messages)


def parse_rows(
    table: Table, patient: User, now: datetime, mapping: ColumnMapping | None = None
) -> list[Row]:
    """Each record as a checked entry body, or the reasons it is not one."""
    zone = ZoneInfo(patient.timezone)
    if mapping is None and not table.is_our_export:
        raise ValidationFailed(
            {"mapping": ["This is not a Pain Diary export: say which column holds what."]}
        )
    if mapping is not None:
        check_mapping(table.header, mapping)
    schema = EntryInSchema()
    rows = []
    for line, raw in table.records:
        cells = {name: unprotect(value) for name, value in raw.items()}
        if mapping is None:
            body, medications = _own_row(cells, zone)
        else:
            body, medications = _mapped_row(cells, mapping, zone), []
        try:
            data = schema.load({k: v for k, v in body.items() if v is not None})
        except ValidationError as error:
            rows.append(Row(line, None, errors=list(_messages(error.messages))))
            continue
        if data["recorded_at"] > now + entries_service.FUTURE_TOLERANCE:
            rows.append(Row(line, None, errors=["recorded_at: That is in the future."]))
            continue
        if "id" not in data:
            digest = entries_service.content_hash({**data, "medications": medications})
            data["id"] = uuid.uuid5(IMPORT_NAMESPACE, f"{patient.id}:{digest}")
        rows.append(Row(line, data, medications))
    return rows


class _Medications:
    """The patient's medications by name; a name not on the list is added to it."""

    def __init__(self, session: DbSession, patient: User, now: datetime, summary: Summary):
        self.session, self.patient, self.now, self.summary = session, patient, now, summary
        query = select(Medication).where(
            Medication.patient_id == patient.id, Medication.deleted_at.is_(None)
        )
        ordered = sorted(session.scalars(query), key=lambda m: (not m.active, m.created_at))
        self.by_name: dict[str, str] = {}
        for medication in ordered:
            self.by_name.setdefault(medication.name.casefold(), str(medication.id))

    def ids(self, names: list[str]) -> list[str]:
        found = []
        for name in names:
            key = name.casefold()
            if key not in self.by_name:
                added = medications_service.create_medication(
                    self.session, self.patient, {"name": name[:120]}, self.now
                )
                self.by_name[key] = str(added.id)
                self.summary.medications_added.append(name)
            found.append(self.by_name[key])
        return list(dict.fromkeys(found))


def _owners(session: DbSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    owners: dict[uuid.UUID, uuid.UUID] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(PainEntry.id, PainEntry.patient_id).where(PainEntry.id.in_(chunk))
        owners.update({entry_id: owner for entry_id, owner in session.execute(query)})
    return owners


def import_rows(
    session: DbSession,
    patient: User,
    author: User,
    rows: list[Row],
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Store the valid rows that are not in the diary yet; count and report the rest."""
    summary = Summary(rows=len(rows))
    owners = _owners(session, [row.data["id"] for row in rows if row.data is not None])
    medications = _Medications(session, patient, now, summary)
    seen: set[uuid.UUID] = set()
    for row in rows:
        if progress is not None:
            progress(1)
        if row.data is None:
            summary.invalid.append(Problem(row.line, row.errors))
            continue
        entry_id = row.data["id"]
        owner = owners.get(entry_id)
        if entry_id in seen or owner == patient.id:
            summary.duplicates += 1
            continue
        if owner is not None:
            summary.invalid.append(Problem(row.line, ["id: This id belongs to another diary."]))
            continue
        data = {**row.data, "medications_taken": medications.ids(row.medications)}
        try:
            entries_service.create_entry(session, patient, author, data, now)
        except DomainError as error:
            reasons = list(_messages(error.errors)) if isinstance(error, ValidationFailed) else []
            summary.invalid.append(Problem(row.line, reasons or [error.detail]))
            continue
        seen.add(entry_id)
        summary.kept += 1
    return summary


def import_csv(
    session: DbSession,
    patient: User,
    author: User,
    text: str,
    now: datetime,
    mapping: ColumnMapping | None = None,
) -> Summary:
    """Read, check and store a whole file in one go (the API and the page use this)."""
    rows = parse_rows(read_table(text), patient, now, mapping)
    return import_rows(session, patient, author, rows, now)
