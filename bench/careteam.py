"""The clinician's 200 shared patients, made through the care-team API once it exists.

Invitation and acceptance are the API contract (API.md), so this seeding does not depend on
how care links are stored. It runs once per bench database (the seed marker remembers it).
"""

from __future__ import annotations

import sys
import time

import psycopg

from bench.client import Client
from bench.context import Context
from bench.seed import DOMAIN, SHARED_PATIENTS, read_part, write_part

SCOPES = ["trends", "entries"]


def seed_care_links(ctx: Context) -> str:
    """Return "seeded", "not built yet", or what went wrong."""
    with psycopg.connect(ctx.settings.dsn(), autocommit=True) as conn:
        if read_part(conn, "care_links") is not None:
            return "seeded"
    probe = ctx.client("main").post_json("/api/v1/care-links/invitations", {})
    if probe.status in (404, 405):
        return "not built yet"
    print(f"  care links: {SHARED_PATIENTS} invitations and acceptances", file=sys.stderr)
    started = time.monotonic()
    clinician = ctx.client("clinician")
    for number in range(1, SHARED_PATIENTS + 1):
        patient = Client(ctx.ours_url)
        patient.login(f"bench-p{number:04d}@{DOMAIN}")
        invitation = patient.post_json(
            "/api/v1/care-links/invitations", {"role": "clinician", "scopes": SCOPES}
        )
        if invitation.status != 201:
            return f"error: invitation answered {invitation.status}"
        accepted = clinician.post_json(
            "/api/v1/care-links/accept", {"token": invitation.json()["token"]}
        )
        if accepted.status != 201:
            return f"error: acceptance answered {accepted.status}"
    with psycopg.connect(ctx.settings.dsn(), autocommit=True) as conn:
        write_part(conn, "care_links", time.monotonic() - started, {"links": SHARED_PATIENTS})
    return "seeded"
