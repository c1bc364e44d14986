"""Deleting an account: everything about the person is erased; the audit trail keeps only ids."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import (
    AuditEvent,
    CareLink,
    Comment,
    PainEntry,
    PainEntryRevision,
    ReminderDelivery,
    ReportLink,
    User,
)
from diary.services import care_team as care_service
from diary.services import medications as medications_service
from diary.services import questionnaires as questionnaires_service
from tests.conftest import ApiClient
from tests.factories import (
    PASSWORD,
    make_link,
    make_reminder,
    make_subscription,
    make_treatment,
    make_user,
)

NAME = "Perpetua Quillfeather"
EMAIL = "perpetua@example.org"
NOTES = ["Burning foot, marker-7f3a", 'Shocks, "marker-91bc", =1+1']
COMMENT_BY_THEM = "marker-c0ffee on Olive's day"
# The audit trail holds ids, and the path of each read (which names the diary by its id).
AUDIT_ID_COLUMNS = {"actor_id", "patient_id", "link_id", "path"}


class Keys:
    p256dh = (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    )
    auth = "tBHItJI5svbpez7KI4CCXg"


def build(app: Flask) -> dict[str, Any]:
    """Perpetua's diary and account, a clinician who reads it, and Olive whom she helps."""
    now = datetime.now(UTC)
    with app.app_context():
        s = db.session
        perpetua = make_user(s, email=EMAIL, display_name=NAME)
        doctor = make_user(s, email="doc@example.org", display_name="Dr Ames")
        olive = make_user(s, email="olive@example.org", display_name="Olive")
        make_link(s, perpetua, doctor, ["trends", "entries", "notes", "comment"], role="clinician")
        make_link(s, olive, perpetua, ["trends", "entries", "log_on_behalf", "comment"])
        medication = medications_service.create_medication(s, perpetua, {"name": "Pregabalin"}, now)
        for n, note in enumerate(NOTES):
            from diary.services import entries as entries_service

            entry, _ = entries_service.create_entry(
                s,
                perpetua,
                perpetua,
                {
                    "intensity": 4 + n,
                    "recorded_at": now - timedelta(days=n + 1),
                    "note": note,
                    "locations": [{"region": "front_foot_right", "intensity": 6}],
                    "medications_taken": [medication.id],
                },
                now,
            )
            entries_service.update_entry(s, perpetua, entry, {"mood": 3}, perpetua, now)
        make_treatment(s, perpetua, now.date() - timedelta(days=3), note="marker-tr3at")
        questionnaires_service.record(
            s, perpetua, perpetua, {"instrument": "pgic", "answers": {"change": 2}}, now
        )
        reminder = make_reminder(s, perpetua, now)
        s.add(ReminderDelivery(schedule_id=reminder.id, due_at=now, kind="reminder", status="sent"))
        make_subscription(s, perpetua, "http://127.0.0.1:9/push/perpetua", Keys, now)
        s.add(
            ReportLink(
                patient_id=perpetua.id,
                token_hash=uuid.uuid4().hex * 2,
                from_date=now.date() - timedelta(days=7),
                to_date=now.date(),
                label=f"for {NAME}",
                expires_at=now + timedelta(days=7),
            )
        )
        s.commit()
        return {"id": perpetua.id, "olive": olive.id, "doctor": doctor.id}


def every_cell(app: Flask) -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every row of every table."""
    cells = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).mappings():
                for column, value in row.items():
                    text = (
                        json.dumps(value, default=str)
                        if isinstance(value, dict | list)
                        else str(value)
                    )
                    cells.append((table.name, column, text))
    return cells


def test_deleting_the_account_erases_the_person_and_keeps_an_anonymous_trail(
    app: Flask,
) -> None:
    world = build(app)
    pid = str(world["id"])
    me = ApiClient(app.test_client())
    me.login(EMAIL)
    doctor = ApiClient(app.test_client())
    doctor.login("doc@example.org")
    assert doctor.get(f"/api/v1/patients/{pid}/entries").status_code == 200
    assert (
        doctor.post(
            f"/api/v1/patients/{pid}/comments", json={"day": "2026-01-01", "body": f"About {NAME}"}
        ).status_code
        == 201
    )
    olive = f"/api/v1/patients/{world['olive']}"
    written = me.post(f"{olive}/entries", json={"intensity": 5, "note": "Olive's own words"})
    assert written.status_code == 201
    assert (
        me.patch(f"{olive}/entries/{written.get_json()['id']}", json={"intensity": 6}).status_code
        == 200
    )
    assert (
        me.post(
            f"{olive}/comments", json={"day": "2026-01-02", "body": COMMENT_BY_THEM}
        ).status_code
        == 201
    )
    with app.app_context():
        trail_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert trail_before >= 4  # the doctor's reads of her diary, her reads of Olive's

    wrong = me.delete("/api/v1/me", json={"password": "not it at all"})
    assert wrong.status_code == 403 and wrong.get_json()["errors"]["password"]
    response = me.delete("/api/v1/me", json={"password": PASSWORD})

    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert me.get("/api/v1/me").status_code == 401
    forbidden = [EMAIL, NAME, *NOTES, COMMENT_BY_THEM, "marker-tr3at", "perpetua/push"]
    for table, column, text in every_cell(app):
        for secret in forbidden:
            assert secret not in text, (table, column)
        if table == "audit_events" and column in AUDIT_ID_COLUMNS:
            continue
        assert pid not in text and world["id"].hex not in text, (table, column)
    with app.app_context():
        s = db.session
        events = list(s.scalars(select(AuditEvent)))
        assert len(events) == trail_before
        mentioned = {e.actor_id for e in events} | {e.patient_id for e in events}
        assert world["id"] in mentioned
        assert s.get(User, world["id"]) is None
        assert all(s.get(CareLink, e.link_id) is None for e in events if e.link_id)
        # What she wrote in Olive's diary stays Olive's, no longer saying who wrote it.
        kept = s.scalar(select(PainEntry).where(PainEntry.patient_id == world["olive"]))
        assert kept is not None and kept.author_id is None
        revision = s.scalar(select(PainEntryRevision).where(PainEntryRevision.entry_id == kept.id))
        assert revision is not None and revision.snapshot["author_id"] is None
        assert revision.edited_by_id is None
        assert s.scalar(select(func.count()).select_from(Comment)) == 0
        assert care_service.links_of(s, s.get(User, world["olive"])).as_patient == []
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    assert doctor.get("/api/v1/clinician/dashboard").get_json()["patients"] == []
    assert doctor.get(f"/api/v1/patients/{pid}/entries").status_code == 404


def test_the_delete_page_asks_for_the_password_and_a_final_confirmation(
    app: Flask, patient_api: ApiClient
) -> None:
    page = patient_api.client.get("/settings/delete").get_data(as_text=True)
    assert "It cannot be undone." in page and 'autocomplete="current-password"' in page
    token = patient_api.csrf_token

    unconfirmed = patient_api.client.post(
        "/settings/delete", data={"csrf_token": token, "password": PASSWORD}
    )
    wrong = patient_api.client.post(
        "/settings/delete", data={"csrf_token": token, "password": "nope", "confirm": "yes"}
    )
    done = patient_api.client.post(
        "/settings/delete", data={"csrf_token": token, "password": PASSWORD, "confirm": "yes"}
    )

    assert unconfirmed.status_code == 422
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    assert wrong.status_code == 403
    assert "That is not your password. Nothing was deleted." in wrong.get_data(as_text=True)
    assert done.status_code == 200
    assert "Your account is deleted" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_guessing_the_password_to_delete_is_rate_limited(patient_api: ApiClient) -> None:
    answers = [
        patient_api.delete("/api/v1/me", json={"password": f"guess {n}"}).status_code
        for n in range(11)
    ]

    assert answers == [403] * 10 + [429]
