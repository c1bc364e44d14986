"""The floor: a bare Flask app doing the least possible for the same work as ours.

Served by gunicorn exactly like ours. No sessions, CSRF, validation, ORM or audit: one
psycopg connection per thread and one raw statement per request. Settings come from the
environment that bench.run sets: FLOOR_DSN, FLOOR_MAIN_ID, FLOOR_POSTER_ID, FLOOR_SHARED_IDS.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import threading
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from flask import Flask, Response, request

app = Flask(__name__)
_local = threading.local()

DSN = os.environ.get("FLOOR_DSN", "postgresql://postgres@127.0.0.1:5432/diary_bench")
MAIN_ID = os.environ.get("FLOOR_MAIN_ID", "")
POSTER_ID = os.environ.get("FLOOR_POSTER_ID", "")
SHARED_IDS = [i for i in os.environ.get("FLOOR_SHARED_IDS", "").split(",") if i]
POSTER_ZONE = ZoneInfo(os.environ.get("FLOOR_POSTER_TZ", "Europe/Paris"))
CONSTANT = json.dumps([{"code": "burning", "label": "Burning"}]).encode()

INSERT = """
INSERT INTO pain_entries (id, patient_id, author_id, recorded_at, local_date, intensity,
    qualities, triggers, note, content_hash, version, created_at, updated_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, '[]', %s, %s, 1, %s, %s)
"""
GROUP_BY = """
SELECT local_date, avg(intensity), min(intensity), max(intensity), count(*)
FROM pain_entries WHERE patient_id = %s GROUP BY local_date ORDER BY local_date
"""
LIST = """
SELECT recorded_at, intensity, note FROM pain_entries
WHERE patient_id = %s AND deleted_at IS NULL ORDER BY recorded_at DESC LIMIT 50
"""
DASHBOARD = """
SELECT patient_id, max(recorded_at),
       avg(intensity) FILTER (WHERE local_date > current_date - 7),
       avg(intensity) FILTER (WHERE local_date <= current_date - 7)
FROM pain_entries
WHERE patient_id = ANY(%s::uuid[]) AND local_date > current_date - 14 AND deleted_at IS NULL
GROUP BY patient_id
"""


def connection() -> psycopg.Connection[Any]:
    """This thread's own connection: the least pooling there is."""
    conn: psycopg.Connection[Any] | None = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg.connect(DSN, autocommit=True)
        _local.conn = conn
    return conn


@app.get("/const")
def const() -> Response:
    return Response(CONSTANT, mimetype="application/json")


@app.post("/insert")
def insert() -> Response:
    body = request.get_json(force=True)
    now = datetime.now(UTC)
    entry_id = uuid.uuid4()
    digest = hashlib.sha256(request.get_data()).hexdigest()
    connection().execute(
        INSERT,
        (
            entry_id,
            POSTER_ID,
            POSTER_ID,
            now,
            now.astimezone(POSTER_ZONE).date(),
            body["intensity"],
            json.dumps(body.get("qualities", [])),
            body.get("note"),
            digest,
            now,
            now,
        ),
    )
    return Response(json.dumps({"id": str(entry_id)}), status=201, mimetype="application/json")


@app.get("/groupby")
def groupby() -> Response:
    rows = connection().execute(GROUP_BY, (MAIN_ID,)).fetchall()
    days = [
        {"date": str(d), "mean": float(mean), "min": lo, "max": hi, "count": n}
        for d, mean, lo, hi, n in rows
    ]
    return Response(json.dumps({"days": days}), mimetype="application/json")


@app.get("/list")
def list_page() -> Response:
    rows = connection().execute(LIST, (MAIN_ID,)).fetchall()
    items = "".join(
        f"<li>{when:%Y-%m-%d %H:%M} {level} {html.escape(note or '')}</li>"
        for when, level, note in rows
    )
    return Response(f"<!doctype html><title>Diary</title><ul>{items}</ul>", mimetype="text/html")


@app.get("/dashboard")
def dashboard() -> Response:
    rows = connection().execute(DASHBOARD, (SHARED_IDS,)).fetchall()
    patients = [
        {
            "id": str(pid),
            "last_entry_at": last.isoformat() if last else None,
            "mean_7d": float(recent) if recent is not None else None,
            "mean_prior_7d": float(prior) if prior is not None else None,
        }
        for pid, last, recent, prior in rows
    ]
    return Response(json.dumps({"patients": patients}), mimetype="application/json")
