"""Who may do what: every route by every kind of caller: the status it must answer.

Kept as data. test_authorization.py runs it, and a guard test fails when a route exists
that this table does not list, so nobody can add a route without deciding who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.factories import PASSWORD

ACTORS = (
    "anonymous",
    "owner",
    "stranger",
    "trends",
    "entries",
    "notes",
    "log_on_behalf",
    "comment",
    "clinician",
    "revoked",
    "expired",
)
GRANTEES = ("trends", "entries", "notes", "log_on_behalf", "comment", "clinician")
CLINICIAN_SCOPES = ["trends", "entries", "notes", "comment"]
# What each linked actor's care link grants (revoked and expired links granted everything).
LINK_SCOPES: dict[str, list[str]] = {
    "trends": ["trends"],
    "entries": ["entries"],
    "notes": ["notes"],
    "log_on_behalf": ["log_on_behalf"],
    "comment": ["comment"],
    "clinician": CLINICIAN_SCOPES,
    "revoked": ["trends", "entries", "notes", "log_on_behalf", "comment"],
    "expired": ["trends", "entries", "notes", "log_on_behalf", "comment"],
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # the Flask rule, e.g. /api/v1/patients/<pid>/entries
    expect: dict[str, int]
    url: str | None = None  # the concrete URL template, when it differs from the rule
    body: Any = None
    form: dict[str, Any] | None = None
    writes: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, status)


def signed_in(status: int, anonymous: int = 401) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def scoped(scope: str, ok: int, page: bool = False) -> dict[str, int]:
    """A route on the patient's diary that needs `scope` ("owner": the patient alone)."""
    expect = {"anonymous": 302 if page else 401, "owner": ok, "stranger": 404}
    for actor in GRANTEES:
        expect[actor] = ok if scope in LINK_SCOPES[actor] else 403
    expect["revoked"] = expect["expired"] = 404
    return expect


def owner_only(ok: int, others: int = 404, page: bool = False) -> dict[str, int]:
    return {**signed_in(others, anonymous=302 if page else 401), "owner": ok}


P = "/api/v1/patients/<pid>"
E = f"{P}/entries/<uuid:entry_id>"
ENTRY_BODY = {"intensity": 5}

ROUTES: list[Route] = [
    # Accounts and public things
    Route("GET", "/api/v1/auth/csrf", everyone(200)),
    Route(
        "POST",
        "/api/v1/auth/register",
        everyone(201),
        writes=True,
        body={
            "email": "new@example.org",
            "password": "long enough pw",
            "display_name": "New",
            "timezone": "UTC",
        },
    ),
    Route(
        "POST",
        "/api/v1/auth/login",
        everyone(401),
        writes=True,
        body={"email": "owner@example.org", "password": "wrong password"},
    ),
    Route("POST", "/api/v1/auth/logout", everyone(204), writes=True),
    Route("GET", "/api/v1/me", signed_in(200)),
    Route("GET", "/api/v1/reference/regions", everyone(200)),
    Route("GET", "/api/v1/reference/qualities", everyone(200)),
    Route("GET", "/api/v1/openapi.json", everyone(200)),
    Route("GET", "/healthz", everyone(200)),
    Route("GET", "/static/<path:filename>", everyone(200), url="/static/css/app.css"),
    # The diary
    Route("POST", f"{P}/entries", scoped("log_on_behalf", 201), body=ENTRY_BODY, writes=True),
    Route("GET", f"{P}/entries", scoped("entries", 200)),
    Route("GET", E, scoped("entries", 200)),
    Route("GET", f"{E}/revisions", scoped("entries", 200)),
    # Only the patient, or whoever wrote the entry on their behalf, may change it.
    Route(
        "PATCH",
        E,
        {**scoped("log_on_behalf", 403), "owner": 200},
        body={"intensity": 2},
        writes=True,
    ),
    Route("DELETE", E, {**scoped("log_on_behalf", 403), "owner": 204}, writes=True),
    Route(
        "POST",
        f"{E}/restore",
        {**scoped("log_on_behalf", 403), "owner": 200},
        url=f"{P}/entries/<deleted_entry>/restore",
        writes=True,
    ),
    # Trends
    Route("GET", f"{P}/trends/daily", scoped("trends", 200)),
    Route("GET", f"{P}/trends/regions", scoped("trends", 200)),
    Route("GET", f"{P}/trends/qualities", scoped("trends", 200)),
    Route("GET", f"{P}/trends/summary", scoped("trends", 200)),
    # The care team
    Route(
        "POST",
        "/api/v1/care-links/invitations",
        signed_in(201),
        writes=True,
        body={"role": "caregiver", "scopes": ["trends"]},
    ),
    # Grantees with a live link already have one (409); the patient cannot accept their own.
    Route(
        "POST",
        "/api/v1/care-links/accept",
        {**signed_in(409), "stranger": 201, "revoked": 201, "expired": 201},
        writes=True,
        body={"token": "<token>"},
    ),
    Route("GET", "/api/v1/care-links", signed_in(200)),
    Route(
        "PATCH",
        "/api/v1/care-links/<uuid:link_id>",
        owner_only(200),
        writes=True,
        url="/api/v1/care-links/<link>",
        body={"scopes": ["trends", "entries"]},
    ),
    Route(
        "DELETE",
        "/api/v1/care-links/<uuid:link_id>",
        owner_only(204),
        writes=True,
        url="/api/v1/care-links/<link>",
    ),
    Route("GET", f"{P}/audit", scoped("owner", 200)),
    Route(
        "POST",
        f"{P}/comments",
        scoped("comment", 201),
        writes=True,
        body={"day": "2026-01-01", "body": "How was the week?"},
    ),
    Route("GET", f"{P}/comments", scoped("comment", 200)),
    Route("GET", "/api/v1/clinician/dashboard", signed_in(200)),
    Route(
        "POST",
        f"{P}/report-links",
        scoped("owner", 201),
        writes=True,
        body={"from": "2026-01-01", "to": "2026-01-31"},
    ),
    Route("GET", f"{P}/report-links", scoped("owner", 200)),
    Route(
        "DELETE",
        f"{P}/report-links/<uuid:link_id>",
        scoped("owner", 204),
        writes=True,
        url=f"{P}/report-links/<report_link>",
    ),
    # Pages
    Route("GET", "/", everyone(200)),
    Route("GET", "/sign-up", {**everyone(302), "anonymous": 200}),
    Route(
        "POST", "/sign-up", {**everyone(302), "anonymous": 422}, writes=True, form={"email": "bad"}
    ),
    Route("GET", "/sign-in", {**everyone(302), "anonymous": 200}),
    Route(
        "POST",
        "/sign-in",
        {**everyone(302), "anonymous": 401},
        writes=True,
        form={"email": "owner@example.org", "password": "wrong password"},
    ),
    Route("POST", "/sign-out", everyone(302), writes=True, form={}),
    Route("GET", "/entries/new", signed_in(200, anonymous=302)),
    Route(
        "POST", "/entries/new", signed_in(302, anonymous=302), writes=True, form={"intensity": "5"}
    ),
    Route("GET", "/entries", signed_in(200, anonymous=302)),
    Route(
        "GET",
        "/entries",
        scoped("entries", 200, page=True),
        url="/entries?patient=<pid>",
        extra={"variant": "patient"},
    ),
    Route(
        "GET",
        "/entries/<uuid:entry_id>/edit",
        owner_only(200, page=True),
        url="/entries/<entry>/edit",
    ),
    Route(
        "POST",
        "/entries/<uuid:entry_id>/edit",
        owner_only(302, page=True),
        writes=True,
        url="/entries/<entry>/edit",
        form={"intensity": "3"},
    ),
    Route(
        "POST",
        "/entries/<uuid:entry_id>/delete",
        owner_only(302, page=True),
        writes=True,
        url="/entries/<entry>/delete",
        form={},
    ),
    Route(
        "POST",
        "/entries/<uuid:entry_id>/restore",
        owner_only(302, page=True),
        writes=True,
        url="/entries/<deleted_entry>/restore",
        form={},
    ),
    Route("GET", "/trends", signed_in(200, anonymous=302)),
    Route(
        "GET",
        "/trends",
        scoped("trends", 200, page=True),
        url="/trends?patient=<pid>",
        extra={"variant": "patient"},
    ),
    Route("GET", "/care-team", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/care-team/invite",
        signed_in(200, anonymous=302),
        writes=True,
        form={"role": "caregiver", "scopes": "trends"},
    ),
    Route(
        "POST",
        "/care-team/links/<uuid:link_id>/revoke",
        owner_only(302, page=True),
        writes=True,
        url="/care-team/links/<link>/revoke",
        form={},
    ),
    Route(
        "POST",
        "/care-team/links/<uuid:link_id>/scopes",
        owner_only(302, page=True),
        writes=True,
        url="/care-team/links/<link>/scopes",
        form={"scopes": "trends"},
    ),
    Route(
        "GET",
        "/care-team/accept/<token>",
        signed_in(200, anonymous=302),
        url="/care-team/accept/<token>",
    ),
    Route(
        "POST",
        "/care-team/accept/<token>",
        signed_in(302, anonymous=302),
        writes=True,
        url="/care-team/accept/<token>",
        form={},
    ),
    Route("GET", "/clinician", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/care-team/report-links",
        signed_in(200, anonymous=302),
        writes=True,
        form={"from": "2026-01-01", "to": "2026-01-31", "expires_in_days": "7"},
    ),
    Route(
        "POST",
        "/care-team/report-links/<uuid:link_id>/revoke",
        owner_only(302, page=True),
        writes=True,
        url="/care-team/report-links/<report_link>/revoke",
        form={},
    ),
    Route("GET", "/r/<token>", everyone(200), url="/r/<report_token>"),
    # Treatments, medications, questionnaires: grantees may add (log_on_behalf) and read
    # (trends; medications with entries), but only the patient changes or removes.
    Route(
        "POST",
        f"{P}/treatments",
        scoped("log_on_behalf", 201),
        writes=True,
        body={"kind": "physiotherapy", "started_at": "2026-01-01T10:00:00Z"},
    ),
    Route("GET", f"{P}/treatments", scoped("trends", 200)),
    Route(
        "GET",
        f"{P}/treatments/series",
        scoped("trends", 200),
        url=f"{P}/treatments/series?kind=ketamine_infusion",
    ),
    Route(
        "GET",
        f"{P}/treatments/<uuid:treatment_id>",
        scoped("trends", 200),
        url=f"{P}/treatments/<treatment>",
    ),
    Route(
        "PATCH",
        f"{P}/treatments/<uuid:treatment_id>",
        scoped("owner", 200),
        writes=True,
        url=f"{P}/treatments/<treatment>",
        body={"setting": "home"},
    ),
    Route(
        "DELETE",
        f"{P}/treatments/<uuid:treatment_id>",
        scoped("owner", 204),
        writes=True,
        url=f"{P}/treatments/<treatment>",
    ),
    Route(
        "GET",
        f"{P}/treatments/<uuid:treatment_id>/response",
        scoped("trends", 200),
        url=f"{P}/treatments/<treatment>/response",
    ),
    Route(
        "POST",
        f"{P}/medications",
        scoped("log_on_behalf", 201),
        writes=True,
        body={"name": "Pregabalin"},
    ),
    Route("GET", f"{P}/medications", scoped("entries", 200)),
    Route(
        "GET",
        f"{P}/medications/<uuid:medication_id>",
        scoped("entries", 200),
        url=f"{P}/medications/<medication>",
    ),
    Route(
        "PATCH",
        f"{P}/medications/<uuid:medication_id>",
        scoped("owner", 200),
        writes=True,
        url=f"{P}/medications/<medication>",
        body={"active": False},
    ),
    Route(
        "DELETE",
        f"{P}/medications/<uuid:medication_id>",
        scoped("owner", 204),
        writes=True,
        url=f"{P}/medications/<medication>",
    ),
    Route(
        "POST",
        f"{P}/questionnaires",
        scoped("log_on_behalf", 201),
        writes=True,
        body={"instrument": "pgic", "answers": {"change": 3}},
    ),
    Route("GET", f"{P}/questionnaires", scoped("trends", 200)),
    Route(
        "GET",
        f"{P}/questionnaires/<uuid:response_id>",
        scoped("trends", 200),
        url=f"{P}/questionnaires/<questionnaire>",
    ),
    Route(
        "DELETE",
        f"{P}/questionnaires/<uuid:response_id>",
        scoped("owner", 204),
        writes=True,
        url=f"{P}/questionnaires/<questionnaire>",
    ),
    Route("GET", "/treatments", signed_in(200, anonymous=302)),
    Route("GET", "/treatments/new", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/treatments/new",
        signed_in(302, anonymous=302),
        writes=True,
        form={"kind": "physiotherapy", "started_at": "2026-01-01T10:00"},
    ),
    Route("POST", "/treatments/quick", signed_in(302, anonymous=302), writes=True, form={}),
    Route(
        "GET",
        "/treatments/<uuid:treatment_id>/edit",
        owner_only(200, page=True),
        url="/treatments/<treatment>/edit",
    ),
    Route(
        "POST",
        "/treatments/<uuid:treatment_id>/edit",
        owner_only(302, page=True),
        writes=True,
        url="/treatments/<treatment>/edit",
        form={"kind": "ketamine_infusion", "started_at": "2026-01-01T10:00"},
    ),
    Route(
        "POST",
        "/treatments/<uuid:treatment_id>/delete",
        owner_only(302, page=True),
        writes=True,
        url="/treatments/<treatment>/delete",
        form={},
    ),
    Route("GET", "/treatments/medications", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/treatments/medications",
        signed_in(302, anonymous=302),
        writes=True,
        form={"name": "Pregabalin"},
    ),
    Route(
        "POST",
        "/treatments/medications/<uuid:medication_id>/<any(stop, restart, remove):action>",
        owner_only(302, page=True),
        writes=True,
        url="/treatments/medications/<medication>/stop",
        form={},
    ),
    # The installable app: public shell files, and the settings page
    Route("GET", "/sw.js", everyone(200)),
    Route("GET", "/manifest.webmanifest", everyone(200)),
    Route("GET", "/offline", everyone(200)),
    Route("GET", "/outbox", everyone(200)),
    Route("GET", "/settings", signed_in(200, anonymous=302)),
    Route("GET", "/questionnaires", signed_in(200, anonymous=302)),
    Route(
        "GET",
        "/questionnaires/<any(peg, bpi_sf, npsi, pgic):code>",
        signed_in(200, anonymous=302),
        url="/questionnaires/peg",
    ),
    Route(
        "POST",
        "/questionnaires/<any(peg, bpi_sf, npsi, pgic):code>",
        signed_in(302, anonymous=302),
        writes=True,
        url="/questionnaires/pgic",
        form={"change": "3"},
    ),
]


def _browser_keys() -> dict[str, str]:
    """A real P-256 public key and auth secret, as a browser's PushSubscription carries."""
    import base64
    import os

    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return {"p256dh": b64(point), "auth": b64(os.urandom(16))}


PUSH_ENDPOINT = "http://127.0.0.1:9/push/matrix"
PUSH_KEYS = _browser_keys()
ROUTES += [
    # Reminders and push belong to the account, not to a diary: others' are 404.
    Route("POST", "/api/v1/reminders", signed_in(201), writes=True, body={"time": "20:00"}),
    Route("GET", "/api/v1/reminders", signed_in(200)),
    Route(
        "GET",
        "/api/v1/reminders/<uuid:reminder_id>",
        owner_only(200),
        url="/api/v1/reminders/<reminder>",
    ),
    Route(
        "PATCH",
        "/api/v1/reminders/<uuid:reminder_id>",
        owner_only(200),
        writes=True,
        url="/api/v1/reminders/<reminder>",
        body={"enabled": False},
    ),
    Route(
        "DELETE",
        "/api/v1/reminders/<uuid:reminder_id>",
        owner_only(204),
        writes=True,
        url="/api/v1/reminders/<reminder>",
    ),
    Route("POST", "/api/v1/reminders/test", signed_in(200), writes=True),
    # The snooze token is the credential (no cookie): a forged one is 404 for anyone.
    Route(
        "POST",
        "/api/v1/reminders/snooze",
        everyone(404),
        writes=True,
        body={"token": "forged", "minutes": 30},
    ),
    Route("GET", "/api/v1/push/vapid-public-key", everyone(200)),
    Route(
        "POST",
        "/api/v1/push/subscriptions",
        signed_in(201),
        writes=True,
        body={"endpoint": "http://127.0.0.1:9/push/new", "keys": _browser_keys()},
    ),
    # The owner's browser is subscribed at PUSH_ENDPOINT; nobody else can unsubscribe it.
    Route(
        "DELETE",
        "/api/v1/push/subscriptions",
        owner_only(204),
        writes=True,
        body={"endpoint": PUSH_ENDPOINT},
    ),
    Route("GET", "/reminders", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/reminders",
        signed_in(302, anonymous=302),
        writes=True,
        form={"time": "21:00", "day": ["0", "1"], "channel": "push"},
    ),
    Route("GET", "/reminders.ics", signed_in(200, anonymous=302)),
    Route(
        "GET",
        "/reminders/<uuid:reminder_id>/edit",
        owner_only(200, page=True),
        url="/reminders/<reminder>/edit",
    ),
    Route(
        "POST",
        "/reminders/<uuid:reminder_id>/edit",
        owner_only(302, page=True),
        writes=True,
        url="/reminders/<reminder>/edit",
        form={"time": "21:00", "day": "2", "channel": "push"},
    ),
    Route(
        "POST",
        "/reminders/<uuid:reminder_id>/pause",
        owner_only(302, page=True),
        writes=True,
        url="/reminders/<reminder>/pause",
        form={},
    ),
    Route(
        "POST",
        "/reminders/<uuid:reminder_id>/delete",
        owner_only(302, page=True),
        writes=True,
        url="/reminders/<reminder>/delete",
        form={},
    ),
    Route("POST", "/reminders/test", signed_in(302, anonymous=302), writes=True, form={}),
]


ROUTES += [
    # Password and two-step sign-in: one's own account only.
    Route(
        "POST",
        "/api/v1/auth/password",
        signed_in(422),
        writes=True,
        body={"current_password": "not the password", "new_password": "long enough pw"},
    ),
    Route("POST", "/api/v1/auth/totp", signed_in(200), writes=True),
    Route("POST", "/api/v1/auth/totp/confirm", signed_in(409), writes=True, body={"otp": "123456"}),
    Route("DELETE", "/api/v1/auth/totp", signed_in(422), writes=True, body={"password": "nope"}),
    # Without a password entered a moment before, the second step sends you back to sign in.
    Route("GET", "/sign-in/code", everyone(302)),
    Route("POST", "/sign-in/code", everyone(302), writes=True, form={"otp": "123456"}),
    Route("GET", "/account/password", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/account/password",
        signed_in(422, anonymous=302),
        writes=True,
        form={"current_password": "nope", "new_password": "long enough pw"},
    ),
    Route("GET", "/account/two-step", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/account/two-step",
        signed_in(200, anonymous=302),
        writes=True,
        form={"action": "start"},
    ),
]


# Reports and exports: the report needs trends; whole-diary exports, the import, the account
# JSON and deletion are the patient's alone (each signed-in actor deletes their own account).
IMPORT_CSV = "id,recorded_at_utc,intensity\r\n,2026-01-01T10:00:00Z,4\r\n"
ROUTES += [
    Route("GET", f"{P}/report.pdf", scoped("trends", 200)),
    Route("GET", f"{P}/export.csv", scoped("owner", 200)),
    Route("GET", f"{P}/export.fhir.json", scoped("owner", 200)),
    Route(
        "POST",
        f"{P}/import.csv",
        scoped("owner", 200),
        writes=True,
        extra={"raw": IMPORT_CSV, "content_type": "text/csv"},
    ),
    Route("GET", "/api/v1/me/export.json", signed_in(200)),
    Route("DELETE", "/api/v1/me", signed_in(204), writes=True, body={"password": PASSWORD}),
    Route("GET", "/trends/report", signed_in(200, anonymous=302)),
    Route(
        "GET",
        "/trends/report",
        scoped("trends", 200, page=True),
        url="/trends/report?patient=<pid>",
        extra={"variant": "patient"},
    ),
    Route("GET", "/settings/import", signed_in(200, anonymous=302)),
    Route("POST", "/settings/import", signed_in(422, anonymous=302), writes=True, form={}),
    Route(
        "POST",
        "/settings/import/mapping",
        signed_in(200, anonymous=302),
        writes=True,
        form={"csv": "Date,Pain\r\n2026-01-02,5\r\n", "map-date": "Date", "map-intensity": "Pain"},
    ),
    Route("GET", "/settings/delete", signed_in(200, anonymous=302)),
    Route(
        "POST",
        "/settings/delete",
        signed_in(200, anonymous=302),
        writes=True,
        form={"password": PASSWORD, "confirm": "yes"},
    ),
]


def listed() -> set[tuple[str, str]]:
    return {(route.method, route.path) for route in ROUTES}
