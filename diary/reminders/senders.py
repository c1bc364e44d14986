"""The senders: a small protocol, Web Push (VAPID, concurrent) and e-mail over SMTP."""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import urllib3
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException

from diary.reminders.messages import email_message, push_payload

log = logging.getLogger(__name__)

PUSH_TTL = 4 * 3600  # a reminder hours late is no use; the push service may drop it then
PUSH_TIMEOUT = 10.0
SMTP_TIMEOUT = 10.0
VAPID_LIFETIME = 12 * 3600
GONE = (404, 410)
PUSH_SLICE = 16


@dataclass(frozen=True)
class PushTarget:
    id: int
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class Notice:
    """One delivery to make: who, what kind, where."""

    delivery_id: int
    kind: str  # reminder, nudge or test
    email: str = ""
    targets: tuple[PushTarget, ...] = ()
    snooze_token: str | None = None


@dataclass
class Outcome:
    """How one notice went on one channel."""

    ok: bool
    detail: str = ""
    retry: bool = False  # worth trying again later
    delivered_to: list[int] = field(default_factory=list)  # subscriptions that took it
    gone: list[int] = field(default_factory=list)  # subscriptions to delete (404/410)


class Sender(Protocol):
    """A channel: send many notices, say how each went (never raise for one notice)."""

    channel: str

    def send(self, notices: Sequence[Notice]) -> list[Outcome]: ...


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _shared_pool(workers: int) -> ThreadPoolExecutor:
    """One pool per size for the whole process (apps come and go in tests; threads stay few)."""
    with _POOLS_LOCK:
        if workers not in _POOLS:
            _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="webpush")
        return _POOLS[workers]


@dataclass
class PostAnswer:
    status_code: int
    text: str
    headers: dict[str, str]


class PooledHttp:
    """The `requests_session` pywebpush posts through: urllib3's connection pool, directly.

    requests costs about 0.75 ms of CPU per POST on top of urllib3 here, which at 100,000
    pushes a minute is most of the budget; pywebpush needs only `.post()`.
    """

    def __init__(self, connections: int) -> None:
        self.pool = urllib3.PoolManager(
            num_pools=16, maxsize=connections, block=False, retries=False
        )

    def post(
        self, url: str, data: bytes | None = None, headers: Any = None, timeout: float = 10.0
    ) -> PostAnswer:
        response = self.pool.request(
            "POST",
            url,
            body=data,
            headers=dict(headers or {}),
            timeout=urllib3.Timeout(total=timeout),
            redirect=False,
        )
        return PostAnswer(response.status, "", {})

    def close(self) -> None:
        self.pool.clear()


class WebPushSender:
    """Web Push through pywebpush: pooled connections, a thread pool, cached VAPID headers."""

    channel = "push"

    def __init__(self, vapid: Vapid, subject: str, workers: int = 8) -> None:
        self.vapid = vapid
        self.subject = subject
        self.workers = max(1, workers)
        self.http = PooledHttp(self.workers)
        self.pool = _shared_pool(self.workers)
        self._headers: dict[str, tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    def _vapid_headers(self, endpoint: str) -> dict[str, str]:
        """Sign once per push service and reuse it for an hour (the JWT lives for 12)."""
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        with self._lock:
            cached = self._headers.get(audience)
            if cached is None or cached[0] - now < VAPID_LIFETIME - 3600:
                claims = {"sub": self.subject, "aud": audience, "exp": int(now) + VAPID_LIFETIME}
                cached = (now + VAPID_LIFETIME, dict(self.vapid.sign(claims)))
                self._headers[audience] = cached
            return dict(cached[1])

    def _post(self, target: PushTarget, data: bytes) -> tuple[int | None, str]:
        subscription = {
            "endpoint": target.endpoint,
            "keys": {"p256dh": target.p256dh, "auth": target.auth},
        }
        try:
            response = WebPusher(subscription, requests_session=self.http).send(
                data,
                headers=self._vapid_headers(target.endpoint),
                ttl=PUSH_TTL,
                timeout=PUSH_TIMEOUT,
            )
        except (urllib3.exceptions.HTTPError, WebPushException, ValueError, OSError) as error:
            return None, f"push: {type(error).__name__}"
        status = response.status_code
        return status, "" if status < 300 else f"push: HTTP {status}"

    def send_one(self, notice: Notice) -> Outcome:
        """Send to every browser of one person (used for test notifications)."""
        return self.send([notice])[0]

    def send(self, notices: Sequence[Notice]) -> list[Outcome]:
        jobs = [
            (index, target, push_payload(notice.kind, notice.snooze_token))
            for index, notice in enumerate(notices)
            for target in notice.targets
        ]
        # A few dozen posts per task: fewer futures, and one slow push service holds up
        # only its own slice.
        slices = [jobs[i : i + PUSH_SLICE] for i in range(0, len(jobs), PUSH_SLICE)]
        answers = [
            answer
            for part in self.pool.map(lambda part: [self._post(j[1], j[2]) for j in part], slices)
            for answer in part
        ]
        outcomes = [Outcome(ok=False, detail="push: no browser subscribed") for _ in notices]
        errors: dict[int, str] = {}
        for (index, target, _), (status, detail) in zip(jobs, answers, strict=True):
            outcome = outcomes[index]
            if status is not None and status < 300:
                outcome.delivered_to.append(target.id)
            elif status in GONE:
                outcome.gone.append(target.id)
            else:
                errors[index] = detail
        for index, outcome in enumerate(outcomes):
            if outcome.delivered_to:
                outcome.ok, outcome.detail = True, ""
            elif index in errors:
                outcome.detail, outcome.retry = errors[index], True
            elif outcome.gone:
                outcome.detail = "push: every browser unsubscribed"
        return outcomes


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    mode: str  # plain, starttls or tls
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://host:465."""
        parts = urlsplit(url)
        modes = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
        if parts.scheme not in modes or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://host:port (or smtp+starttls, smtps)")
        mode, port = modes[parts.scheme]
        return cls(
            parts.hostname,
            parts.port or port,
            mode,
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None,
        )


class EmailSender:
    """Plain, short e-mails over one SMTP connection per batch."""

    channel = "email"

    def __init__(self, smtp_url: str, sender: str, public_url: str) -> None:
        self.settings = SmtpSettings.from_url(smtp_url) if smtp_url else None
        self.sender = sender
        self.public_url = public_url

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s is None:
            raise smtplib.SMTPException("SMTP_URL is not set")
        smtp: smtplib.SMTP
        if s.mode == "tls":
            smtp = smtplib.SMTP_SSL(
                s.host, s.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT)
            if s.mode == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password or "")
        return smtp

    def send(self, notices: Sequence[Notice]) -> list[Outcome]:
        if self.settings is None:
            return [Outcome(ok=False, detail="email: not set up on this server") for _ in notices]
        outcomes: list[Outcome] = []
        smtp: smtplib.SMTP | None = None
        try:
            for notice in notices:
                message = email_message(notice.kind, self.sender, notice.email, self.public_url)
                try:
                    if smtp is None:
                        smtp = self._connect()
                    smtp.send_message(message)
                    outcomes.append(Outcome(ok=True))
                except (smtplib.SMTPException, OSError) as error:
                    log.warning("e-mail for delivery %s failed: %s", notice.delivery_id, error)
                    outcomes.append(Outcome(ok=False, detail=_smtp_detail(error), retry=True))
                    _quit(smtp)
                    smtp = None
        finally:
            _quit(smtp)
        return outcomes


def _smtp_detail(error: Exception) -> str:
    code = getattr(error, "smtp_code", None)
    return f"email: {type(error).__name__}{f' {code}' if code else ''}"[:200]


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def new_notice_id() -> int:
    """An id for a notice that has no delivery row (a test notification)."""
    return uuid.uuid4().int & 0x7FFFFFFF
