"""Run the authorization matrix on both databases, and guard that it lists every route."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from diary.extensions import db
from diary.models import (
    CareLink,
    Medication,
    PainEntry,
    QuestionnaireResponse,
    ReportLink,
    Treatment,
)
from diary.services import push as push_service
from diary.services.care_team import hash_token
from diary.services.rollups import add_score
from tests.api.authorization_matrix import (
    ACTORS,
    LINK_SCOPES,
    PUSH_ENDPOINT,
    PUSH_KEYS,
    ROUTES,
    Route,
    listed,
)
from tests.conftest import ApiClient
from tests.factories import PASSWORD, make_reminder, make_users_fast


def unlisted_routes(app: Flask) -> set[tuple[str, str]]:
    """Every (method, rule) the app serves that the matrix does not decide."""
    served = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    return served - listed()


def test_the_matrix_lists_every_route(app: Flask) -> None:
    assert unlisted_routes(app) == set()


def test_the_guard_catches_a_new_route(app: Flask) -> None:
    app.add_url_rule("/api/v1/brand-new", "brand_new", lambda: "", methods=["GET", "POST"])

    assert unlisted_routes(app) == {("GET", "/api/v1/brand-new"), ("POST", "/api/v1/brand-new")}


def build_world(app: Flask) -> dict[str, str]:
    """The patient, one user per actor with their link, an entry, a deleted one, tokens."""
    now = datetime.now(UTC)
    with app.app_context():
        users = dict(zip(ACTORS[1:], make_users_fast(db.session, len(ACTORS) - 1), strict=True))
        owner = users["owner"]
        owner.email = "owner@example.org"
        for actor, user in users.items():
            user.email = f"{actor}@example.org"
        links = {}
        for actor, scopes in LINK_SCOPES.items():
            link = CareLink(
                patient_id=owner.id,
                grantee_id=users[actor].id,
                role="clinician" if actor == "clinician" else "caregiver",
                scopes=scopes,
                token_hash=secrets.token_hex(32),
                created_at=now,
                invitation_expires_at=now + timedelta(days=7),
                accepted_at=now,
                revoked_at=now if actor == "revoked" else None,
                expires_at=now - timedelta(days=1) if actor == "expired" else None,
            )
            db.session.add(link)
            links[actor] = link
        token = secrets.token_urlsafe(16)
        db.session.add(
            CareLink(
                patient_id=owner.id,
                role="caregiver",
                scopes=["trends"],
                token_hash=hash_token(token),
                created_at=now,
                invitation_expires_at=now + timedelta(days=7),
            )
        )
        entries = []
        for deleted in (False, True):
            entry = PainEntry(
                patient_id=owner.id,
                author_id=owner.id,
                recorded_at=now,
                local_date=now.date(),
                intensity=4,
                note="a note",
                content_hash="0" * 64,
                deleted_at=now if deleted else None,
            )
            db.session.add(entry)
            entries.append(entry)
        report_token = secrets.token_urlsafe(16)
        treatment = Treatment(
            patient_id=owner.id,
            kind="ketamine_infusion",
            started_at=now - timedelta(days=10),
            local_date=(now - timedelta(days=10)).date(),
        )
        medication = Medication(patient_id=owner.id, name="Amitriptyline")
        questionnaire = QuestionnaireResponse(
            patient_id=owner.id,
            instrument="pgic",
            answered_at=now,
            local_date=now.date(),
            answers={"change": 2},
            scores={"change": 2},
        )
        db.session.add_all([treatment, medication, questionnaire])
        reminder = make_reminder(db.session, owner, now)
        push_service.save_subscription(
            db.session,
            owner,
            {"endpoint": PUSH_ENDPOINT, "keys": PUSH_KEYS},
            now,
            allow_http=True,
        )
        report = ReportLink(
            patient_id=owner.id,
            token_hash=hash_token(report_token),
            from_date=now.date() - timedelta(days=7),
            to_date=now.date(),
            expires_at=now + timedelta(days=7),
        )
        db.session.add(report)
        db.session.flush()
        add_score(db.session, owner.id, now.date(), 4)
        db.session.commit()
        return {
            "<pid>": str(owner.id),
            "<entry>": str(entries[0].id),
            "<uuid:entry_id>": str(entries[0].id),
            "<deleted_entry>": str(entries[1].id),
            "<link>": str(links["trends"].id),
            "<token>": token,
            "<report_link>": str(report.id),
            "<uuid:link_id>": str(report.id),
            "<report_token>": report_token,
            "<treatment>": str(treatment.id),
            "<medication>": str(medication.id),
            "<questionnaire>": str(questionnaire.id),
            "<reminder>": str(reminder.id),
        }


def concrete(template: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


def call(app: Flask, route: Route, actor: str, world: dict[str, str]) -> int:
    api = ApiClient(app.test_client())
    if actor != "anonymous":
        api.login(f"{actor}@example.org", PASSWORD)
    url = concrete(route.url or route.path, world)
    kwargs: dict[str, Any] = {}
    if route.body is not None:
        body = route.body
        if body == {"token": "<token>"}:
            body = {"token": world["<token>"]}
        kwargs["json"] = body
    if route.form is not None:
        kwargs["data"] = {**route.form, "csrf_token": api.csrf_token}
    if "raw" in route.extra:
        kwargs["data"] = route.extra["raw"]
        kwargs["content_type"] = route.extra["content_type"]
    response = api.request(route.method, url, **kwargs)
    response.close()
    return int(response.status_code)


def case_id(route: Route, actor: str) -> str:
    variant = route.extra.get("variant", "")
    return f"{route.method} {route.path}{'?' + variant if variant else ''} as {actor}"


READS = [r for r in ROUTES if not r.writes]
WRITES = [(r, a) for r in ROUTES if r.writes for a in ACTORS]


@pytest.mark.parametrize("actor", ACTORS)
def test_reads(app: Flask, actor: str) -> None:
    world = build_world(app)

    answered = {case_id(route, actor): call(app, route, actor, world) for route in READS}

    assert answered == {case_id(route, actor): route.expect[actor] for route in READS}


@pytest.mark.parametrize(("route", "actor"), WRITES, ids=[case_id(r, a) for r, a in WRITES])
def test_writes(app: Flask, route: Route, actor: str) -> None:
    world = build_world(app)

    assert call(app, route, actor, world) == route.expect[actor]
