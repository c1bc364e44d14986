"""CSV out and in: a lossless round trip, invalid rows by line, nothing twice, other apps."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from diary.database import utcnow
from diary.models import PainDailyStat, PainEntry
from diary.schemas.entries import EntrySchema
from diary.services import entries as entries_service
from diary.services import exports as exports_service
from diary.services import imports as imports_service
from diary.services import medications as medications_service
from diary.services import trends as trends_service
from tests.factories import make_user

NOTES = [
    'Said "stop", then, later:\r\nshocks 😖⚡ all night,\nslept 3 h',
    "=1+1",
    "'=1+1 as typed",
    "-2 better, @home +rest",
]
NOW = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)


def full_entry(medications: list[str], n: int) -> dict[str, Any]:
    """An entry with every field set."""
    return {
        "recorded_at": NOW - timedelta(days=n, hours=n),
        "intensity": n % 11,
        "worst_24h": 9,
        "least_24h": 0,
        "average_24h": 5,
        "locations": [
            {"region": "front_hand_right", "intensity": 7, "qualities": ["burning", "tingling"]},
            {"region": "back_calf_left", "intensity": None, "qualities": []},
            {"region": "trigeminal_v2_left", "intensity": 0, "qualities": ["electric_shock"]},
        ],
        "qualities": ["burning", "pins_and_needles", "brushing_evoked"],
        "interference": {
            "general_activity": 1,
            "mood": 2,
            "walking": 3,
            "work": 0,
            "relations": 5,
            "sleep": 6,
            "enjoyment": 7,
        },
        "sleep_quality": 0,
        "mood": 4,
        "triggers": ["cold; wet weather", "back\\slash", "stress"],
        "medications_taken": medications,
        "checkin": {"dissociation": 1, "nausea": 0, "sleep": 3, "urinary": False},
        "note": NOTES[n % len(NOTES)],
    }


def comparable(entry: PainEntry) -> dict[str, Any]:
    dumped = EntrySchema().dump(entry)
    for key in ("version", "created_at", "updated_at"):
        dumped.pop(key)
    return dumped


def test_csv_round_trip_is_lossless_for_a_diary_with_every_field_set(session: Session) -> None:
    patient = make_user(session, email="round@example.org")
    meds = [
        str(medications_service.create_medication(session, patient, {"name": name}, NOW).id)
        for name in ("Pregabalin 150 mg", "Ketamine; nasal")
    ]
    for n in range(8):
        entries_service.create_entry(session, patient, patient, full_entry(meds, n), NOW)
    session.flush()
    before = {e.id: comparable(e) for e in session.scalars(select(PainEntry))}
    first = exports_service.diary_csv(session, patient)

    # RFC 4180 with a byte order mark; formulas defused; everything else as typed.
    assert first.startswith("\ufeffid,recorded_at_utc,recorded_at_local,local_date,")
    rows = list(csv.DictReader(io.StringIO(first.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 8
    assert all(line.endswith("\r") or not line for line in first.split("\n")[:1])
    notes = [row["note"] for row in rows]
    assert "'=1+1" in notes and "''=1+1 as typed" in notes and "'-2 better, @home +rest" in notes
    assert NOTES[0] in notes

    for entry in session.scalars(select(PainEntry)):
        session.delete(entry)
    session.execute(delete(PainDailyStat))
    session.flush()
    summary = imports_service.import_csv(session, patient, patient, first, utcnow())

    assert (summary.kept, summary.duplicates, summary.invalid) == (8, 0, [])
    after = {e.id: comparable(e) for e in session.scalars(select(PainEntry))}
    assert after == before
    assert exports_service.diary_csv(session, patient) == first


def test_import_reports_invalid_rows_by_line_and_keeps_the_valid_ones(session: Session) -> None:
    patient = make_user(session)
    text = (
        "id,recorded_at_utc,intensity,regions,note\r\n"
        ',2026-03-01T08:00:00Z,4,front_hand_right,"two\r\nlines"\r\n'  # lines 2-3
        ",2026-03-02T08:00:00Z,11,,\r\n"  # line 4: out of range
        ",not a time,3,,\r\n"  # line 5
        ",2026-03-03T08:00:00Z,5,elbow_of_nobody,\r\n"  # line 6: unknown region
        "\r\n"
        ",2026-03-04T08:00:00Z,0,,a zero is a real score\r\n"  # line 8
        ",2099-01-01T08:00:00Z,3,,\r\n"  # line 9: the future
    )

    summary = imports_service.import_csv(session, patient, patient, text, NOW)

    assert summary.kept == 2
    assert {p.line: p.reasons for p in summary.invalid} == {
        4: ["intensity: Give a whole number from 0 to 10."],
        5: ["recorded_at: Give a date and time in ISO 8601, e.g. 2026-03-29T08:30:00+02:00."],
        6: ["locations.0.region: Unknown body region; see GET /api/v1/reference/regions."],
        9: ["recorded_at: That is in the future."],
    }
    scores = sorted(e.intensity for e in session.scalars(select(PainEntry)))
    assert scores == [0, 4]


def test_a_second_import_of_the_same_file_adds_nothing(session: Session) -> None:
    patient = make_user(session)
    text = (
        "id,recorded_at_utc,intensity,note\r\n"
        "6f1c0c1e-8f3a-4a47-9d43-1a2b3c4d5e6f,2026-03-01T08:00:00Z,4,with an id\r\n"
        ",2026-03-02T08:00:00Z,6,without an id\r\n"
        ",2026-03-02T08:00:00Z,6,without an id\r\n"
    )

    first = imports_service.import_csv(session, patient, patient, text, NOW)
    second = imports_service.import_csv(session, patient, patient, text, NOW)

    assert (first.kept, first.duplicates) == (2, 1)
    assert (second.kept, second.duplicates) == (0, 3)
    assert len(list(session.scalars(select(PainEntry)))) == 2
    day = trends_service.daily_stats(session, patient, NOW.date() - timedelta(days=40), NOW.date())
    assert sum(d.count for d in day.values()) == 2


def test_an_id_that_belongs_to_another_diary_is_refused(session: Session) -> None:
    owner, other = make_user(session, email="a@example.org"), make_user(session)
    entry, _ = entries_service.create_entry(session, owner, owner, {"intensity": 3}, NOW)
    text = f"id,recorded_at_utc,intensity\r\n{entry.id},2026-03-01T08:00:00Z,4\r\n"

    summary = imports_service.import_csv(session, other, other, text, NOW)

    assert summary.kept == 0
    assert [(p.line, p.reasons) for p in summary.invalid] == [
        (2, ["id: This id belongs to another diary."])
    ]


def test_another_apps_export_comes_in_by_a_column_mapping(session: Session) -> None:
    patient = make_user(session)  # Europe/Berlin
    text = (
        "Date;Time;Pain level;Notes;Triggers\r\n"
        "29.03.2026;08:30;6;Morning, stiff;cold, stairs\r\n"
        "29.03.2026;9:15 PM;7.0;;\r\n"
        "30.03.2026;;2;date only;\r\n"
        "31/13/2026;10:00;5;bad month;\r\n"
    )
    mapping = imports_service.ColumnMapping(
        {"date": "Date", "time": "Time", "intensity": "Pain level", "note": "Notes",
         "triggers": "Triggers"},
        "dmy",
    )  # fmt: skip

    summary = imports_service.import_csv(session, patient, patient, text, NOW, mapping)
    again = imports_service.import_csv(session, patient, patient, text, NOW, mapping)

    assert (summary.kept, again.kept, again.duplicates) == (3, 0, 3)
    assert [p.line for p in summary.invalid] == [5]
    entries = {e.note: e for e in session.scalars(select(PainEntry))}
    morning = entries["Morning, stiff"]
    assert morning.recorded_at == datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # CEST is UTC+2
    assert morning.triggers == ["cold", "stairs"]
    assert entries[None].recorded_at == datetime(2026, 3, 29, 19, 15, tzinfo=UTC)
    assert entries["date only"].recorded_at == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
