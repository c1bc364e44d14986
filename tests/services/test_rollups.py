"""The daily roll-up always equals a GROUP BY over the live entries, whatever was written."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import PainDailyStat, PainEntry
from tests.conftest import ApiClient

ENTRIES = "/api/v1/patients/me/entries"


def rollup(app: Flask) -> set[tuple[str, int, int, int, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                PainDailyStat.local_date,
                PainDailyStat.entry_count,
                PainDailyStat.intensity_sum,
                PainDailyStat.intensity_min,
                PainDailyStat.intensity_max,
            )
        )
        return {(str(d), c, s, lo, hi) for d, c, s, lo, hi in rows}


def group_by(app: Flask) -> set[tuple[str, int, int, int, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                PainEntry.local_date,
                func.count(),
                func.sum(PainEntry.intensity),
                func.min(PainEntry.intensity),
                func.max(PainEntry.intensity),
            )
            .where(PainEntry.deleted_at.is_(None))
            .group_by(PainEntry.local_date)
        )
        return {(str(d), c, s, lo, hi) for d, c, s, lo, hi in rows}


def test_rollup_follows_creates_edits_deletes_and_restores(
    app: Flask, patient_api: ApiClient
) -> None:
    ids = [
        patient_api.post(
            ENTRIES, json={"intensity": score, "recorded_at": f"2026-01-0{day}T12:00:00Z"}
        ).get_json()["id"]
        for day, score in ((1, 3), (1, 9), (2, 5), (2, 0), (3, 7))
    ]
    assert rollup(app) == group_by(app)

    patient_api.patch(f"{ENTRIES}/{ids[1]}", json={"intensity": 1})
    patient_api.patch(f"{ENTRIES}/{ids[2]}", json={"recorded_at": "2026-01-04T12:00:00Z"})
    patient_api.delete(f"{ENTRIES}/{ids[4]}")
    patient_api.delete(f"{ENTRIES}/{ids[3]}")
    patient_api.post(f"{ENTRIES}/{ids[3]}/restore")

    assert rollup(app) == group_by(app)
    assert ("2026-01-03", 1, 7, 7, 7) not in rollup(app)  # the day's only entry was deleted
    assert ("2026-01-01", 2, 4, 1, 3) in rollup(app)


def test_a_replayed_post_is_counted_once(app: Flask, patient_api: ApiClient) -> None:
    body = {
        "id": "7d1f3c8e-2b3a-4c5d-8e9f-0a1b2c3d4e5f",
        "intensity": 6,
        "recorded_at": "2026-01-05T08:00:00Z",
    }
    patient_api.post(ENTRIES, json=body)
    patient_api.post(ENTRIES, json=body)

    assert rollup(app) == {("2026-01-05", 1, 6, 6, 6)}
