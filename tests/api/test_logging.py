"""Logs: one JSON line per request with a request id, and never a note, token or password."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from diary.logs import JsonFormatter
from tests.conftest import ApiClient

CANARY = "canary-7f3a9c"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("diary")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_each_request_logs_one_json_line_with_its_id(
    patient_api: ApiClient, log_lines: io.StringIO
) -> None:
    response = patient_api.get("/api/v1/me", headers={"X-Request-ID": "abc-123"})

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert response.headers["X-Request-ID"] == "abc-123"
    [line] = [x for x in lines if x.get("message") == "request"]
    assert line["request_id"] == "abc-123"
    assert line["route"] == "/api/v1/me"
    assert line["status"] == 200
    assert line["user_id"]


def test_a_made_up_request_id_is_replaced(patient_api: ApiClient) -> None:
    response = patient_api.get(
        "/api/v1/me", headers={"X-Request-ID": "bad id with spaces and ; semicolons"}
    )

    assert len(response.headers["X-Request-ID"]) == 32


def test_no_note_token_or_password_reaches_the_logs(
    app: Flask, patient_api: ApiClient, log_lines: io.StringIO
) -> None:
    password = f"{CANARY}-password"
    patient_api.post(
        "/api/v1/auth/register",
        json={
            "email": "c@example.org",
            "password": password,
            "display_name": "C",
            "timezone": "UTC",
        },
    )
    patient_api.post(
        "/api/v1/auth/login", json={"email": "c@example.org", "password": f"{CANARY}x"}
    )
    patient_api.post("/api/v1/patients/me/entries", json={"intensity": 5, "note": f"{CANARY} note"})
    patient_api.post("/api/v1/patients/me/entries", json={"intensity": 11, "note": f"{CANARY} bad"})
    patient_api.post("/api/v1/patients/me/entries", json={"intensity": 5, "note": CANARY * 200})
    invitation = patient_api.post(
        "/api/v1/care-links/invitations", json={"role": "caregiver", "scopes": ["trends"]}
    ).get_json()
    report = patient_api.post(
        "/api/v1/patients/me/report-links", json={"from": "2026-01-01", "to": "2026-01-02"}
    ).get_json()
    patient_api.client.get(f"/care-team/accept/{invitation['token']}")
    app.test_client().get(f"/r/{report['token']}")
    app.test_client().get(f"/r/{report['token']}?note={CANARY}")

    text = log_lines.getvalue()
    assert text.count('"message": "request"') >= 9
    for secret in (CANARY, invitation["token"], report["token"]):
        assert secret not in text
