"""What a reminder says (never anything clinical: lock screens show it) and its snooze token."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time as clock
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

SNOOZE_SALT = "reminder-snooze"
SNOOZE_MAX_AGE = 24 * 3600
SNOOZE_PATH = "/api/v1/reminders/snooze"
LOG_PATH = "/entries/new"


@dataclass(frozen=True)
class Wording:
    title: str
    body: str
    subject: str


WORDING = {
    "reminder": Wording(
        "Pain Diary",
        "A moment for your diary? Tap to note how you are.",
        "A gentle reminder from your pain diary",
    ),
    "nudge": Wording(
        "Pain Diary",
        "No pressure. Your diary is here whenever you feel up to it.",
        "Your pain diary is here when you are ready",
    ),
    "test": Wording(
        "Pain Diary",
        "This is a test. Your reminders will look like this.",
        "Test reminder from your pain diary",
    ),
}


def _mac(secret: str, body: bytes) -> bytes:
    key = hashlib.sha256(f"{SNOOZE_SALT}:{secret}".encode()).digest()
    return hmac.new(key, body, hashlib.sha256).digest()[:16]


def snooze_token(secret: str, schedule_id: uuid.UUID, now: float | None = None) -> str:
    """A signed token that lets the notification snooze this one schedule for a day.

    Plain HMAC rather than itsdangerous: the sweep signs one per reminder, 100,000 a minute.
    """
    expires = int(now if now is not None else clock.time()) + SNOOZE_MAX_AGE
    body = schedule_id.bytes + expires.to_bytes(8, "big")
    return base64.urlsafe_b64encode(body + _mac(secret, body)).decode().rstrip("=")


def read_snooze_token(secret: str, token: str, now: float | None = None) -> uuid.UUID | None:
    """The schedule a snooze token names, or None when it is forged, mangled or old."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    body, mac = raw[:24], raw[24:]
    if len(raw) != 40 or not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    if int.from_bytes(body[16:], "big") < (now if now is not None else clock.time()):
        return None
    return uuid.UUID(bytes=body[:16])


def push_payload(kind: str, token: str | None) -> bytes:
    """The JSON the service worker gets: title, body, where a tap leads, how to snooze."""
    wording = WORDING[kind]
    payload: dict[str, Any] = {
        "title": wording.title,
        "body": wording.body,
        "url": LOG_PATH,
        "tag": "pain-diary-reminder",
    }
    if token is not None:
        payload["actions"] = [{"action": "snooze", "title": "Remind me in 30 minutes"}]
        payload["snooze"] = {"url": SNOOZE_PATH, "token": token, "minutes": 30}
    return json.dumps(payload, separators=(",", ":")).encode()


def email_message(kind: str, sender: str, recipient: str, public_url: str) -> EmailMessage:
    """A short plain-text e-mail."""
    wording = WORDING[kind]
    message = EmailMessage()
    message["Subject"] = wording.subject
    message["From"] = sender
    message["To"] = recipient
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        f"{wording.body}\n\n"
        f"Log now: {public_url}{LOG_PATH}\n\n"
        f"Change or pause your reminders: {public_url}/reminders\n"
    )
    return message
