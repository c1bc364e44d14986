"""Property-based fuzzing of the whole JSON API from its OpenAPI document (schemathesis).

Every operation of GET /api/v1/openapi.json is called with generated requests, signed in as
a patient whose diary already holds one of each thing (so that about half the generated ids
name a real entry, treatment, reminder ... and PATCH or DELETE reach the rules). schemathesis'
checks then hold the API to its document: no server error, answers that match the documented
status codes, content types and schemas, schema-violating input refused, schema-valid input
accepted, and no route that answers without the session it declares.

FUZZ_EXAMPLES sets the examples per operation (`make test`: a few; `make fuzz`: many).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.openapi.checks import RejectedPositiveData

from diary import create_app
from diary.openapi import build_spec
from tests.conftest import ApiClient, app_config

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


def _document() -> dict[str, Any]:
    app = create_app(app_config("sqlite://"))
    with app.app_context():
        return build_spec(app)


schema = schemathesis.openapi.from_dict(_document())

# Some cases are built when the tests are collected, before any test has signed in: they
# carry these placeholders, swapped for the running test's own credentials when sent.
COOKIE, CSRF = "<session cookie>", "<csrf token>"


@schema.auth(refresh_interval=None)
class PatientSession:
    """Sign every case in as the patient: the session cookie and its CSRF token."""

    def get(self, case: Any, context: Any) -> tuple[str, str]:
        return COOKIE, CSRF

    def set(self, case: Any, data: tuple[str, str], context: Any) -> None:
        case.cookies = {**(case.cookies or {}), "diary_session": data[0]}
        case.headers = {**(case.headers or {}), "X-CSRFToken": data[1]}


@schema.hook
def map_body(context: Any, body: Any) -> Any:
    """Send 7 rather than 7.0 where the document says integer.

    JSON Schema counts 7.0 as an integer; the API deliberately refuses it (Score and the
    other strict integer fields: a client that sends 7.0 has a bug worth hearing about, and
    marshmallow's lax Integer once stored 2.589e-42 as 0). No JSON schema keyword can say
    "integer, but not written with a fraction", so the fuzzer writes integers as every JSON
    encoder of a real client does.
    """
    return _whole_floats_as_ints(body)


def _whole_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_floats_as_ints(item) for item in value]
    if isinstance(value, dict):
        return {key: _whole_floats_as_ints(item) for key, item in value.items()}
    return value


# Rules that no JSON schema can state, because they compare two fields, compare with the
# clock, or need the server's own records. Refusing schema-valid input with 422 is right
# for these fields on these operations, and only for them: any other 422 to input the
# document calls valid still fails the run.
P = "/api/v1/patients/{pid}"
RANGE = "from on or before to, at most ten years apart (to defaults to today)"
# Days between 1900 and 2199: JSON schema has no bounds for a `format: date` string.
DAY = "a day between 1900 and 2199"
BEYOND_THE_DOCUMENT: dict[tuple[str, str], dict[str, str]] = {
    ("GET", f"{P}/entries"): {
        "cursor": "a next_cursor the API gave out",
        "from": f"{RANGE}; {DAY}",
        "to": DAY,
    },
    ("POST", f"{P}/entries"): {
        "recorded_at": "at most 10 minutes ahead of the server's clock, not before 1900",
        "medications_taken": "ids of medications on the patient's own list",
        "locations": "each region once (JSON schema cannot make items unique by one key)",
    },
    ("PATCH", f"{P}/entries/{{entry_id}}"): {
        "recorded_at": "at most 10 minutes ahead of the server's clock, not before 1900",
        "medications_taken": "ids of medications on the patient's own list",
        "locations": "each region once (JSON schema cannot make items unique by one key)",
    },
    ("POST", f"{P}/treatments"): {
        "started_at": "not before 1970",
        "ended_at": "after started_at",
        "dose_unit": "given with a dose",
        "series_phase": "given with a series number",
        "side_effects": "each side effect once (unique by code)",
        "dose": "at most a plausible amount for its unit (dose_unit)",
    },
    ("PATCH", f"{P}/treatments/{{treatment_id}}"): {
        "started_at": "not before 1970",
        "ended_at": "after started_at, not before 1970",
        "dose_unit": "given with a dose",
        "series_phase": "given with a series number",
        "side_effects": "each side effect once (unique by code)",
        "dose": "at most a plausible amount for its unit (dose_unit)",
    },
    ("POST", f"{P}/questionnaires"): {"answered_at": "not before 1970, not in the future"},
    ("POST", f"{P}/comments"): {"_schema": "an entry_id or a day, not both", "day": DAY},
    ("POST", f"{P}/report-links"): {"from": f"{RANGE}; {DAY}", "to": DAY},
    ("POST", "/api/v1/reminders"): {"_schema": "at most 20 reminders per account"},
    ("POST", "/api/v1/auth/password"): {
        "current_password": "the account's current password",
        "new_password": "different from the current one",
    },
    ("DELETE", "/api/v1/auth/totp"): {"password": "the account's password"},
    ("POST", f"{P}/import.csv"): {
        "mapping": "needed unless the file is a Pain Diary export (the file decides)",
        "file": "a file with at least a header row (a text/csv body's content is not schema)",
    },
    ("GET", f"{P}/report.pdf"): {
        "sections": "at least one known section, comma-separated",
        "from": f"{RANGE}; {DAY}",
        "to": DAY,
    },
    ("POST", "/api/v1/push/subscriptions"): {
        "endpoint": "an https address (http too outside production)",
        "keys": "a real P-256 public key and a 16-byte secret",
    },
}
for _trend in ("daily", "regions", "qualities", "summary"):
    BEYOND_THE_DOCUMENT["GET", f"{P}/trends/{_trend}"] = {"from": f"{RANGE}; {DAY}", "to": DAY}


@schema.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but a 422 that names only fields listed in BEYOND_THE_DOCUMENT."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422:
        return True
    allowed = BEYOND_THE_DOCUMENT.get((case.method.upper(), case.path), {})
    errors = (response.json() or {}).get("errors") or {}
    return not (errors and set(errors) <= set(allowed))


# The patient's own things, made through the API before the fuzzing starts:
# (path parameter, a word the operation's path must contain) -> how to make one.
OWN_THINGS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("entry_id", "/entries/", "/api/v1/patients/me/entries", {"intensity": 6, "note": "ok"}),
    (
        "treatment_id",
        "/treatments/",
        "/api/v1/patients/me/treatments",
        {"kind": "ketamine_infusion", "started_at": "2026-01-01T10:00:00Z"},
    ),
    ("medication_id", "/medications/", "/api/v1/patients/me/medications", {"name": "Pregabalin"}),
    (
        "response_id",
        "/questionnaires/",
        "/api/v1/patients/me/questionnaires",
        {"instrument": "pgic", "answers": {"change": 3}},
    ),
    ("reminder_id", "/reminders/", "/api/v1/reminders", {"time": "20:00"}),
    (
        "link_id",
        "/report-links/",
        "/api/v1/patients/me/report-links",
        {"from": "2026-01-01", "to": "2026-01-31"},
    ),
    (
        "link_id",
        "/care-links/",
        "/api/v1/care-links/invitations",
        {"role": "caregiver", "scopes": ["trends"]},
    ),
]


class Signed:
    """The app under test, the patient's credentials and the ids of their things."""

    def __init__(self, app: Flask, api: ApiClient) -> None:
        self.ids: list[tuple[str, str, str]] = []
        for name, marker, path, body in OWN_THINGS:
            made = api.post(path, json=body)
            assert made.status_code == 201, (path, made.get_json())
            self.ids.append((name, marker, made.get_json()["id"]))
        self.app, self.csrf = app, api.csrf_token
        # Read after the token: the session cookie changes when the token is first made.
        cookie = api.client.get_cookie("diary_session")
        assert cookie is not None
        self.cookie = cookie.value

    def prepare(self, case: Any) -> None:
        """Put in the real credentials, and a real id in place of every other generated one."""
        if (case.cookies or {}).get("diary_session") == COOKIE:
            case.cookies["diary_session"] = self.cookie
        if (case.headers or {}).get("X-CSRFToken") == CSRF:
            case.headers["X-CSRFToken"] = self.csrf
        for name, marker, real in self.ids:
            generated = (case.path_parameters or {}).get(name)
            if marker in case.path and _even_uuid(generated):
                case.path_parameters[name] = real


def _even_uuid(value: Any) -> bool:
    try:
        return uuid.UUID(str(value)).int % 2 == 0
    except ValueError:
        return False  # a deliberately malformed id stays as it is


@pytest.fixture
def signed_in(app: Flask, patient_api: ApiClient) -> Signed:
    return Signed(app, patient_api)


def test_the_fuzzer_is_signed_in(app: Flask, signed_in: Signed) -> None:
    """Its credentials work: otherwise every case would be a documented 401 or 403."""
    client = app.test_client()
    client.set_cookie("diary_session", signed_in.cookie)

    response = client.post(
        "/api/v1/patients/me/entries",
        json={"intensity": 3},
        headers={"X-CSRFToken": signed_in.csrf},
    )

    assert response.status_code == 201


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    # One database and one signed-in patient serve all the examples of an operation.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_holds_its_contract(case: Any, signed_in: Signed) -> None:
    signed_in.prepare(case)
    case.operation.schema.app = signed_in.app  # where the checks send their own probes
    case.call_and_validate(app=signed_in.app)
