"""A small HTTP client that signs in the way the front end does (cookie + X-CSRFToken).

The session cookie is `Secure` in production and the bench speaks plain HTTP to 127.0.0.1,
so cookies are kept by hand rather than by a cookie jar that would rightly withhold them.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from bench.settings import BENCH_PASSWORD, HOST


class ClientError(RuntimeError):
    """An answer the bench did not expect."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.hostname != HOST or parts.port is None:
            raise ClientError(f"the bench only talks to {HOST}, not {self.base_url}")
        self._port = parts.port

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Answer:
        sent = {"Host": f"{HOST}:{self._port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        if body is not None:
            sent.setdefault("Content-Type", "application/json")
        if method not in ("GET", "HEAD") and self.csrf_token:
            sent.setdefault("X-CSRFToken", self.csrf_token)
        conn = http.client.HTTPConnection(HOST, self._port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for raw in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(raw)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, dict(response.headers.items()), data)
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def post_json(self, path: str, payload: Any) -> Answer:
        return self.request("POST", path, body=json.dumps(payload).encode())

    def fetch_csrf(self) -> str:
        answer = self.get("/api/v1/auth/csrf")
        if answer.status != 200:
            raise ClientError(f"GET /api/v1/auth/csrf answered {answer.status}")
        token: str = answer.json()["csrf_token"]
        self.csrf_token = token
        return token

    def login(self, email: str, password: str = BENCH_PASSWORD) -> None:
        """Sign in; afterwards the cookie and the CSRF token belong to the new session."""
        self.fetch_csrf()
        answer = self.post_json("/api/v1/auth/login", {"email": email, "password": password})
        if answer.status != 200:
            raise ClientError(f"login as {email} answered {answer.status}: {answer.body[:300]!r}")
        self.fetch_csrf()  # signing in starts a new session, with a new token
