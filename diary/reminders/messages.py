"""What a reminder says (never anything clinical: lock screens show it) and its snooze token."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

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


def snooze_token(secret: str, schedule_id: uuid.UUID) -> str:
    """A signed token that lets the notification snooze this one schedule for a day."""
    return URLSafeTimedSerializer(secret, salt=SNOOZE_SALT).dumps(str(schedule_id))


def read_snooze_token(secret: str, token: str) -> uuid.UUID | None:
    """The schedule a snooze token names, or None when it is forged, mangled or old."""
    try:
        value = URLSafeTimedSerializer(secret, salt=SNOOZE_SALT).loads(
            token, max_age=SNOOZE_MAX_AGE
        )
        return uuid.UUID(str(value))
    except (BadSignature, ValueError):
        return None


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
