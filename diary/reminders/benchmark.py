"""How long one sweep takes for N schedules due in the same minute, to a local push endpoint.

`bench_sweep(app, n)` seeds N patients (each with one browser and a daily reminder due now)
into the app's database, starts a stand-in push service in its own process, times one
sweep and returns the figures. `flask reminders bench --count N` prints them. Use a
throwaway database: the rows are removed afterwards unless `keep` is set.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time as clock
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.request import urlopen

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from sqlalchemy import delete, insert, select

from diary.database import utcnow
from diary.extensions import db
from diary.models import PushSubscription, ReminderSchedule, User
from diary.reminders.scheduler import run_sweep
from diary.reminders.vapid import b64url

DOMAIN = "bench.invalid"
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC")
CHUNK = 5000


# The stand-in push service ----------------------------------------------------------------


async def _handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: set[str]
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            length = 0
            for line in header_lines:
                if line[:15].lower() == "content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            if method == "GET" and path == "/stats":
                body = json.dumps({"distinct": len(seen)}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            else:
                seen.add(path)
                writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def serve_push_endpoint() -> None:
    """Run the stand-in push service: print its port, stop when standard input closes."""

    async def main() -> None:
        seen: set[str] = set()
        server = await asyncio.start_server(
            lambda r, w: _handle(r, w, seen), "127.0.0.1", 0, backlog=1024
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        server.close()

    asyncio.run(main())


@contextmanager
def push_endpoint() -> Iterator[int]:
    """The stand-in push service in its own process (so it does not share our GIL)."""
    code = "from diary.reminders.benchmark import serve_push_endpoint; serve_push_endpoint()"
    with subprocess.Popen(  # noqa: S603 -- our own interpreter and module
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None and process.stdin is not None  # noqa: S101 -- PIPE
        try:
            yield int(process.stdout.readline())
        finally:
            process.stdin.close()
            process.wait(timeout=10)


# Seeding ----------------------------------------------------------------------------------


def _keys(count: int) -> list[tuple[str, str]]:
    pairs = []
    for _ in range(count):
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        raw = key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        pairs.append((b64url(raw), b64url(uuid.uuid4().bytes)))
    return pairs


def seed(count: int, port: int, now: Any) -> None:
    """N patients in several zones, each with a browser and a reminder due at `now`."""
    from diary.reminders.schedule import zone

    keys = _keys(min(count, 100))
    created = now - timedelta(hours=1)
    for start in range(0, count, CHUNK):
        users, schedules, subscriptions = [], [], []
        for i in range(start, min(start + CHUNK, count)):
            user_id = uuid.uuid4()
            tz = ZONES[i % len(ZONES)]
            users.append(
                {
                    "id": user_id,
                    "email": f"patient-{i}@{DOMAIN}",
                    "password_hash": "!",  # cannot sign in
                    "display_name": f"Bench {i}",
                    "timezone": tz,
                    "locale": "en",
                    "created_at": created,
                }
            )
            schedules.append(
                {
                    "id": uuid.uuid4(),
                    "user_id": user_id,
                    "local_time": now.astimezone(zone(tz)).time().replace(tzinfo=None),
                    "days": [0, 1, 2, 3, 4, 5, 6],
                    "channels": ["push"],
                    "enabled": True,
                    "next_fire_at": now,
                    "last_due_at": now - timedelta(days=1),
                    "created_at": created,
                    "updated_at": created,
                }
            )
            p256dh, auth = keys[i % len(keys)]
            subscriptions.append(
                {
                    "user_id": user_id,
                    "endpoint": f"http://127.0.0.1:{port}/push/{i}",
                    "p256dh": p256dh,
                    "auth": auth,
                    "user_agent": "bench",
                    "created_at": created,
                }
            )
        db.session.execute(insert(User), users)
        db.session.execute(insert(ReminderSchedule), schedules)
        db.session.execute(insert(PushSubscription), subscriptions)
        db.session.commit()


def remove_seeded() -> None:
    ids = select(User.id).where(User.email.like(f"%@{DOMAIN}"))
    db.session.execute(delete(PushSubscription).where(PushSubscription.user_id.in_(ids)))
    db.session.execute(delete(ReminderSchedule).where(ReminderSchedule.user_id.in_(ids)))
    db.session.execute(delete(User).where(User.email.like(f"%@{DOMAIN}")))
    db.session.commit()


def bench_sweep(app: Flask, count: int, *, keep: bool = False) -> dict[str, Any]:
    """Seed `count` due schedules, time one sweep against a local push endpoint, report."""
    with push_endpoint() as port:
        now = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=1)
        with app.app_context():
            remove_seeded()
            started = clock.perf_counter()
            seed(count, port, now)
            seeded_in = clock.perf_counter() - started
        report = run_sweep(app, now)
        with urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as answer:
            stats = json.load(answer)
    if not keep:
        with app.app_context():
            remove_seeded()
    with app.app_context():
        database = db.engine.dialect.name
    return {
        "schedules": count,
        "database": database,
        "seconds": round(report.seconds, 2),
        "per_second": round(report.sent / report.seconds) if report.seconds else None,
        "sent": report.sent,
        "endpoint_received_distinct": stats["distinct"],
        "batches": report.batches,
        "batch_size": app.config["REMINDER_BATCH_SIZE"],
        "push_workers": app.config["PUSH_WORKERS"],
        "seed_seconds": round(seeded_in, 2),
    }
