"""What every scenario can reach during a run: the servers, the data, signed-in clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.client import Client
from bench.seed import CLINICIAN_EMAIL, MAIN_EMAIL, POSTER_EMAIL, Facts
from bench.settings import Settings

EMAILS = {"main": MAIN_EMAIL, "poster": POSTER_EMAIL, "clinician": CLINICIAN_EMAIL}


@dataclass
class Context:
    settings: Settings
    facts: Facts
    ours_url: str
    floor_url: str
    app_env: dict[str, str]
    logs_dir: Path
    parts: dict[str, str] = field(default_factory=dict)  # seed part -> its state
    _clients: dict[str, Client] = field(default_factory=dict)

    def client(self, user: str | None) -> Client:
        """A client signed in as that bench user (kept for the run), or an anonymous one."""
        if user is None:
            return Client(self.ours_url)
        if user not in self._clients:
            client = Client(self.ours_url)
            client.login(EMAILS[user])
            self._clients[user] = client
        return self._clients[user]

    def placeholders(self) -> dict[str, str]:
        return {
            "first_day": self.facts.first_day,
            "last_day": self.facts.last_day,
            "main_id": self.facts.main_id,
        }
