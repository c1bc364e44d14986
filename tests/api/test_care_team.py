"""The care team: invitations, scopes, revocation, audit, comments, dashboard, report links."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text, update
from sqlalchemy.exc import DatabaseError

from diary.extensions import db
from diary.models import AuditEvent, CareLink, PainEntry, ReportLink
from diary.schemas.care_team import DashboardSchema, dump_dashboard
from diary.services import dashboard as dashboard_service
from diary.services.dashboard import PatientCard, card_for
from tests.conftest import ApiClient
from tests.factories import make_diary, make_link, make_user, make_users_fast

INVITE = "/api/v1/care-links/invitations"
ACCEPT = "/api/v1/care-links/accept"


@pytest.fixture
def grantee(app: Flask) -> ApiClient:
    with app.app_context():
        make_user(db.session, email="carer@example.org", display_name="Casey")
        db.session.commit()
    api = ApiClient(app.test_client())
    api.login("carer@example.org")
    return api


def invite(api: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {"role": "caregiver", "scopes": ["trends"], **fields}
    response = api.post(INVITE, json=body)
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def link_up(patient_api: ApiClient, grantee: ApiClient, scopes: list[str]) -> dict[str, Any]:
    invitation = invite(patient_api, scopes=scopes)
    response = grantee.post(ACCEPT, json={"token": invitation["token"]})
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def test_invitation_token_is_shown_once_and_stored_as_a_hash(
    app: Flask, patient_api: ApiClient
) -> None:
    invitation = invite(patient_api, scopes=["trends", "entries"], expires_in_days=30)

    assert invitation["invite_url"].endswith(f"/care-team/accept/{invitation['token']}")
    with app.app_context():
        link = db.session.get(CareLink, uuid.UUID(invitation["id"]))
        assert link is not None
        assert invitation["token"] not in link.token_hash
        assert len(link.token_hash) == 64
    listed = patient_api.get("/api/v1/care-links").get_json()
    assert "token" not in str(listed)
    assert listed["as_patient"][0]["status"] == "pending"


def test_accepting_makes_an_active_link(
    patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link = link_up(patient_api, grantee, ["trends"])

    assert link["status"] == "active"
    assert link["patient_id"] == patient["id"]
    assert grantee.get("/api/v1/care-links").get_json()["as_grantee"][0]["id"] == link["id"]


def test_an_invitation_works_once(app: Flask, patient_api: ApiClient, grantee: ApiClient) -> None:
    invitation = invite(patient_api)
    assert grantee.post(ACCEPT, json={"token": invitation["token"]}).status_code == 201
    with app.app_context():
        make_user(db.session, email="second@example.org")
        db.session.commit()
    second = ApiClient(app.test_client())
    second.login("second@example.org")

    assert second.post(ACCEPT, json={"token": invitation["token"]}).status_code == 404


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
def test_dead_invitations_are_404(
    app: Flask, patient_api: ApiClient, grantee: ApiClient, state: str
) -> None:
    invitation = invite(patient_api)
    token = invitation["token"]
    if state == "unknown":
        # A different first character (1 token in 64 already starts with x).
        token = ("y" if token.startswith("x") else "x") + token[1:]
    elif state == "revoked":
        patient_api.delete(f"/api/v1/care-links/{invitation['id']}")
    else:
        with app.app_context():
            db.session.execute(
                update(CareLink).values(invitation_expires_at=datetime.now(UTC) - timedelta(1))
            )
            db.session.commit()

    assert grantee.post(ACCEPT, json={"token": token}).status_code == 404


def test_accepting_ones_own_invitation_is_409(patient_api: ApiClient) -> None:
    invitation = invite(patient_api)

    assert patient_api.post(ACCEPT, json={"token": invitation["token"]}).status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"role": "doctor", "scopes": ["trends"]},
        {"role": "caregiver", "scopes": []},
        {"role": "caregiver", "scopes": ["everything"]},
        {"role": "caregiver", "scopes": ["trends", "trends"]},
        {"role": "caregiver", "scopes": ["trends"], "expires_in_days": 0},
        {"role": "caregiver", "scopes": ["trends"], "expires_in_days": "7"},
    ],
)
def test_bad_invitations_are_422(patient_api: ApiClient, body: dict[str, Any]) -> None:
    assert patient_api.post(INVITE, json=body).status_code == 422


def test_scopes_decide_what_a_grantee_reaches(
    patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link_up(patient_api, grantee, ["trends"])
    base = f"/api/v1/patients/{patient['id']}"

    assert grantee.get(f"{base}/trends/daily").status_code == 200
    assert grantee.get(f"{base}/entries").status_code == 403
    assert grantee.post(f"{base}/entries", json={"intensity": 3}).status_code == 403
    assert grantee.get(f"{base}/audit").status_code == 403


def test_a_stranger_gets_404_not_403(
    app: Flask, patient: dict[str, str], grantee: ApiClient
) -> None:
    base = f"/api/v1/patients/{patient['id']}"

    assert grantee.get(f"{base}/trends/daily").status_code == 404
    assert grantee.get(f"{base}/entries").status_code == 404


def test_notes_are_absent_without_the_notes_scope(
    patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    entry = patient_api.post(
        "/api/v1/patients/me/entries", json={"intensity": 5, "note": "private words"}
    ).get_json()
    link = link_up(patient_api, grantee, ["entries"])
    base = f"/api/v1/patients/{patient['id']}/entries"

    one = grantee.get(f"{base}/{entry['id']}").get_json()
    listed = grantee.get(base).get_json()["items"][0]
    assert "note" not in one
    assert "note" not in listed
    assert one["intensity"] == 5
    assert "private words" not in grantee.client.get(f"/entries?patient={patient['id']}").get_data(
        as_text=True
    )

    patient_api.patch(f"/api/v1/care-links/{link['id']}", json={"scopes": ["entries", "notes"]})
    assert grantee.get(f"{base}/{entry['id']}").get_json()["note"] == "private words"


def test_logging_on_behalf_records_the_author(
    app: Flask, patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link_up(patient_api, grantee, ["log_on_behalf"])

    response = grantee.post(
        f"/api/v1/patients/{patient['id']}/entries", json={"intensity": 7, "note": "from Casey"}
    )

    assert response.status_code == 201
    with app.app_context():
        entry = db.session.scalars(select(PainEntry)).one()
        assert str(entry.patient_id) == patient["id"]
        assert entry.author_id is not None and str(entry.author_id) != patient["id"]
    diary = patient_api.client.get("/entries").get_data(as_text=True)
    assert "Logged on your behalf" in diary


def test_a_grantee_cannot_change_the_patients_own_entries(
    patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    entry = patient_api.post("/api/v1/patients/me/entries", json={"intensity": 5}).get_json()
    link_up(patient_api, grantee, ["log_on_behalf", "entries"])
    url = f"/api/v1/patients/{patient['id']}/entries/{entry['id']}"

    assert grantee.patch(url, json={"intensity": 1}).status_code == 403
    assert grantee.delete(url).status_code == 403


def test_revocation_refuses_the_grantees_next_request(
    patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link = link_up(patient_api, grantee, ["trends"])
    url = f"/api/v1/patients/{patient['id']}/trends/daily"
    assert grantee.get(url).status_code == 200

    assert patient_api.delete(f"/api/v1/care-links/{link['id']}").status_code == 204

    assert grantee.get(url).status_code == 404  # same session cookie, very next request
    assert grantee.client.get(f"/trends?patient={patient['id']}").status_code == 404


def test_an_expired_link_is_refused(
    app: Flask, patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link_up(patient_api, grantee, ["trends"])
    with app.app_context():
        db.session.execute(update(CareLink).values(expires_at=datetime.now(UTC) - timedelta(1)))
        db.session.commit()

    assert grantee.get(f"/api/v1/patients/{patient['id']}/trends/daily").status_code == 404


def test_every_read_of_another_diary_is_audited(
    app: Flask, patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link = link_up(patient_api, grantee, ["trends", "entries"])
    grantee.get(f"/api/v1/patients/{patient['id']}/trends/daily")
    grantee.get(f"/api/v1/patients/{patient['id']}/entries")
    patient_api.get("/api/v1/patients/me/entries")  # one's own reads are not audited

    trail = patient_api.get("/api/v1/patients/me/audit").get_json()["items"]

    assert [item["action"] for item in trail] == ["read:entries", "read:trends:daily"]
    assert {item["actor_name"] for item in trail} == {"Casey"}
    assert {item["link_id"] for item in trail} == {link["id"]}
    page = patient_api.client.get("/care-team").get_data(as_text=True)
    assert "Who viewed your diary" in page and "Casey" in page


def test_the_audit_trail_is_append_only(
    app: Flask, patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    link_up(patient_api, grantee, ["trends"])
    grantee.get(f"/api/v1/patients/{patient['id']}/trends/daily")

    with app.app_context():
        for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_comments_where_granted_reach_the_patient(
    patient_api: ApiClient, grantee: ApiClient, patient: dict[str, str]
) -> None:
    entry = patient_api.post("/api/v1/patients/me/entries", json={"intensity": 5}).get_json()
    link_up(patient_api, grantee, ["comment"])
    url = f"/api/v1/patients/{patient['id']}/comments"

    created = grantee.post(url, json={"entry_id": entry["id"], "body": "Shall we talk about this?"})
    both = grantee.post(url, json={"entry_id": entry["id"], "day": "2026-01-01", "body": "x"})

    assert created.status_code == 201
    assert both.status_code == 422
    comments = patient_api.get("/api/v1/patients/me/comments").get_json()["items"]
    assert comments[0]["body"] == "Shall we talk about this?"
    assert comments[0]["author_name"] == "Casey"


def count_queries(app: Flask, client: Any, path: str) -> int:
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def before(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return len(statements)


def test_dashboard_query_count_does_not_grow_with_patients(app: Flask) -> None:
    counts = {}
    for size in (5, 200):
        with app.app_context():
            clinician = make_user(db.session, email=f"doc{size}@example.org")
            patients = make_users_fast(db.session, size, prefix=f"p{size}-")
            for patient in patients:
                make_link(db.session, patient, clinician, ["trends"], role="clinician")
                db.session.add(
                    PainEntry(
                        patient_id=patient.id,
                        author_id=patient.id,
                        recorded_at=datetime.now(UTC),
                        local_date=date.today(),  # noqa: DTZ011 - any day will do here
                        intensity=5,
                        content_hash="0" * 64,
                    )
                )
            db.session.commit()
        api = ApiClient(app.test_client())
        api.login(f"doc{size}@example.org")
        _ = api.get("/api/v1/me")  # the session touch is not part of the count
        counts[size] = count_queries(app, api.client, "/api/v1/clinician/dashboard")
        assert len(api.get("/api/v1/clinician/dashboard").get_json()["patients"]) == size

    assert counts[5] == counts[200]


def card(means: dict[int, float]) -> PatientCard:
    today = date(2026, 3, 20)
    by_day = {today - timedelta(days=ago): value for ago, value in means.items()}
    return card_for(PatientCard(patient=None, link=None), by_day, today)  # type: ignore[arg-type]


def test_alerts_on_hand_built_weeks() -> None:
    steady = card({ago: 4.0 for ago in range(14)})
    worse = card({**{ago: 6.5 for ago in range(7)}, **{ago: 4.0 for ago in range(7, 14)}})
    severe = card({0: 8.0, 1: 9.0, 2: 8.5, **{ago: 3.0 for ago in range(3, 14)}})
    silent = card({ago: 4.0 for ago in range(3, 14)})

    assert steady.alerts == []
    assert worse.alerts == ["worsening"]
    assert worse.change == 2.5
    assert "sustained_severe" in severe.alerts
    assert silent.alerts == ["silent"]
    assert silent.mean_7d == 4.0  # 4 logged days out of 7 still make a mean


def test_dashboard_sorts_by_urgency_and_is_audited(app: Flask) -> None:
    with app.app_context():
        clinician = make_user(db.session, email="doc@example.org")
        calm, urgent = make_users_fast(db.session, 2, prefix="pt")
        for patient in (calm, urgent):
            make_link(db.session, patient, clinician, ["trends"], role="clinician")
        now = datetime.now(UTC)
        for ago in range(3):
            db.session.add(
                PainEntry(
                    patient_id=urgent.id,
                    author_id=urgent.id,
                    recorded_at=now - timedelta(days=ago),
                    local_date=(now - timedelta(days=ago)).astimezone().date(),
                    intensity=9,
                    content_hash="0" * 64,
                )
            )
        db.session.commit()
        from diary.services import rollups

        for ago in range(3):
            rollups.recount_day(
                db.session, urgent.id, (now - timedelta(days=ago)).astimezone().date()
            )
        db.session.commit()
    api = ApiClient(app.test_client())
    api.login("doc@example.org")

    patients = api.get("/api/v1/clinician/dashboard").get_json()["patients"]

    assert patients[0]["display_name"] == "Pt 1"
    assert "sustained_severe" in patients[0]["alerts"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_report_link_shows_a_read_only_page_and_is_audited(
    app: Flask, patient_api: ApiClient
) -> None:
    patient_api.post("/api/v1/patients/me/entries", json={"intensity": 6, "note": "secret note"})
    today = date.today()  # noqa: DTZ011 - a range around today in any zone
    created = patient_api.post(
        "/api/v1/patients/me/report-links",
        json={"from": str(today - timedelta(days=7)), "to": str(today + timedelta(days=1))},
    ).get_json()
    anonymous = app.test_client()

    page = anonymous.get(f"/r/{created['token']}")

    assert page.status_code == 200
    assert "Pain report" in page.get_data(as_text=True)
    assert "secret note" not in page.get_data(as_text=True)
    trail = patient_api.get("/api/v1/patients/me/audit").get_json()["items"]
    assert trail[0]["action"] == "read:report" and trail[0]["link_kind"] == "report_link"

    patient_api.delete(f"/api/v1/patients/me/report-links/{created['id']}")
    assert anonymous.get(f"/r/{created['token']}").status_code == 404


def test_report_links_live_at_most_30_days(app: Flask, patient_api: ApiClient) -> None:
    body = {"from": "2026-01-01", "to": "2026-01-31"}
    assert (
        patient_api.post(
            "/api/v1/patients/me/report-links", json={**body, "expires_in_days": 31}
        ).status_code
        == 422
    )
    created = patient_api.post(
        "/api/v1/patients/me/report-links", json={**body, "expires_in_days": 30}
    ).get_json()
    with app.app_context():
        db.session.execute(update(ReportLink).values(expires_at=datetime.now(UTC) - timedelta(1)))
        db.session.commit()

    assert app.test_client().get(f"/r/{created['token']}").status_code == 404


def test_a_treatment_response_ending_this_week_is_an_alert() -> None:
    treated = date(2026, 2, 1)
    means = {treated - timedelta(days=n): 6.0 for n in range(1, 8)}
    means |= {treated + timedelta(days=n): 2.0 for n in range(1, 22)}
    means |= {treated + timedelta(days=n): 7.0 for n in range(22, 40)}
    ended = date(2026, 2, 26)  # the day the 7-day mean rises above 70 % of 6 (4.2)

    def alerts_on(today: date) -> list[str]:
        card = PatientCard(patient=None, link=None, last_treatment_on=treated)  # type: ignore[arg-type]
        return card_for(card, {d: v for d, v in means.items() if d <= today}, today).alerts

    assert "response_ending" not in alerts_on(ended - timedelta(days=1))
    assert "response_ending" in alerts_on(ended)
    assert "response_ending" in alerts_on(ended + timedelta(days=6))
    assert "response_ending" not in alerts_on(ended + timedelta(days=7))


def test_the_dashboard_answer_is_what_its_schema_would_dump(app: Flask) -> None:
    """The hand-written dump (200 patients a view) keeps to DashboardSchema."""
    with app.app_context():
        clinician = make_user(db.session, email="doc@example.org")
        worse, silent, unscoped = make_users_fast(db.session, 3, prefix="dump")
        make_link(db.session, worse, clinician, ["trends", "entries"], role="clinician")
        make_link(db.session, silent, clinician, ["trends"], role="clinician")
        make_link(db.session, unscoped, clinician, ["entries"], role="clinician")
        today = datetime.now(ZoneInfo("Europe/Berlin")).date()
        make_diary(db.session, worse, today - timedelta(days=13), (7, 3), (7, 7))
        make_diary(db.session, silent, today - timedelta(days=13), (9, 4))
        make_diary(db.session, unscoped, today - timedelta(days=2), (3, 5))
        db.session.commit()
        cards = dashboard_service.dashboard(db.session, clinician, datetime.now(UTC))
        by_schema = DashboardSchema().dump(
            {
                "patients": [
                    {
                        "patient_id": c.patient.id,
                        "display_name": c.patient.display_name,
                        "role": c.link.role,
                        "scopes": c.link.scopes,
                        "last_entry_at": c.last_entry_at,
                        "mean_7d": c.mean_7d,
                        "mean_previous_7d": c.mean_previous_7d,
                        "change": c.change,
                        "days_logged_7d": c.days_logged_7d,
                        "alerts": c.alerts,
                        "urgency": c.urgency,
                    }
                    for c in cards
                ]
            }
        )

    assert dump_dashboard(cards) == by_schema
    assert [p["alerts"] for p in by_schema["patients"]] == [["worsening"], ["silent"], []]
    assert by_schema["patients"][0]["last_entry_at"].endswith("Z")
