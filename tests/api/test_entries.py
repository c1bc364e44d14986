"""The entries API: idempotent create, list, edit with revisions, soft delete, validation."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from diary.extensions import db
from diary.models import PainEntry, User
from tests.conftest import ApiClient
from tests.factories import make_user

ENTRIES = "/api/v1/patients/me/entries"


def entry_body(**fields: Any) -> dict[str, Any]:
    return {
        "recorded_at": "2026-03-29T08:30:00+02:00",
        "intensity": 6,
        "locations": [
            {"region": "front_shoulder_right", "intensity": 7, "qualities": ["burning"]},
            {"region": "front_shoulder_left"},
        ],
        "qualities": ["burning", "pins_and_needles"],
        "note": "Worse after the bus ride.",
        **fields,
    }


def count_entries(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PainEntry)) or 0


def test_create_entry(patient_api: ApiClient, patient: dict[str, str]) -> None:
    response = patient_api.post(ENTRIES, json=entry_body())

    assert response.status_code == 201
    entry = response.get_json()
    assert entry["intensity"] == 6
    assert entry["recorded_at"] == "2026-03-29T06:30:00Z"
    assert entry["patient_id"] == entry["author_id"] == patient["id"]
    assert [loc["region"] for loc in entry["locations"]] == [
        "front_shoulder_right",
        "front_shoulder_left",
    ]
    assert entry["locations"][0] == {
        "region": "front_shoulder_right",
        "intensity": 7,
        "qualities": ["burning"],
    }
    assert entry["locations"][1] == {
        "region": "front_shoulder_left",
        "intensity": None,
        "qualities": [],
    }
    assert entry["qualities"] == ["burning", "pins_and_needles"]
    assert response.headers["Location"].endswith(entry["id"])


def test_recorded_at_defaults_to_now(patient_api: ApiClient) -> None:
    before = datetime.now(UTC)
    entry = patient_api.post(ENTRIES, json={"intensity": 0}).get_json()

    recorded = datetime.fromisoformat(entry["recorded_at"])
    assert before - timedelta(seconds=1) <= recorded <= datetime.now(UTC)
    assert entry["intensity"] == 0  # zero is a real answer


@pytest.mark.parametrize(
    ("recorded_at", "timezone", "local_date"),
    [
        # 23:30 in Berlin on the 28th is still the 28th there, though UTC says so too.
        ("2026-03-28T23:30:00+01:00", "Europe/Berlin", "2026-03-28"),
        # 00:30 on the 29th in Sydney is the 28th in UTC, the 29th for the patient.
        ("2026-03-28T13:30:00Z", "Australia/Sydney", "2026-03-29"),
        # 20:00 on the 28th in Honolulu is the 29th in UTC.
        ("2026-03-29T06:00:00Z", "Pacific/Honolulu", "2026-03-28"),
    ],
)
def test_local_date_is_the_patients_day(
    app: Flask, recorded_at: str, timezone: str, local_date: str
) -> None:
    with app.app_context():
        make_user(db.session, email="tz@example.org", timezone=timezone)
        db.session.commit()
    api = ApiClient(app.test_client())
    api.login("tz@example.org")

    entry = api.post(ENTRIES, json={"intensity": 3, "recorded_at": recorded_at}).get_json()

    assert entry["local_date"] == local_date


def test_same_id_same_content_is_the_same_entry(app: Flask, patient_api: ApiClient) -> None:
    body = entry_body(id=str(uuid.uuid4()))
    first = patient_api.post(ENTRIES, json=body)
    second = patient_api.post(ENTRIES, json=body)

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.get_json() == first.get_json()
    assert count_entries(app) == 1


def test_same_id_other_content_is_409(app: Flask, patient_api: ApiClient) -> None:
    entry_id = str(uuid.uuid4())
    patient_api.post(ENTRIES, json=entry_body(id=entry_id))

    response = patient_api.post(ENTRIES, json=entry_body(id=entry_id, intensity=2))

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert count_entries(app) == 1


def test_retry_without_recorded_at_is_still_the_same_entry(
    app: Flask, patient_api: ApiClient
) -> None:
    body = {"id": str(uuid.uuid4()), "intensity": 4}
    assert patient_api.post(ENTRIES, json=body).status_code == 201
    assert patient_api.post(ENTRIES, json=body).status_code == 200
    assert count_entries(app) == 1


def test_concurrent_posts_of_one_id_make_one_row(app: Flask, patient: dict[str, str]) -> None:
    body = entry_body(id=str(uuid.uuid4()))
    clients = []
    for _ in range(4):
        api = ApiClient(app.test_client())
        api.login(patient["email"])
        _ = api.csrf_token
        clients.append(api)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(api: ApiClient) -> None:
        barrier.wait()
        statuses.append(api.post(ENTRIES, json=body).status_code)

    threads = [threading.Thread(target=post, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 200, 200, 201]
    assert count_entries(app) == 1


def test_list_is_newest_first_with_cursor_pages(patient_api: ApiClient) -> None:
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    for day in range(7):
        at = (start + timedelta(days=day)).isoformat()
        patient_api.post(ENTRIES, json={"intensity": day, "recorded_at": at})

    first = patient_api.get(f"{ENTRIES}?limit=3").get_json()
    second = patient_api.get(f"{ENTRIES}?limit=3&cursor={first['next_cursor']}").get_json()
    third = patient_api.get(f"{ENTRIES}?limit=3&cursor={second['next_cursor']}").get_json()

    seen = [e["intensity"] for page in (first, second, third) for e in page["items"]]
    assert seen == [6, 5, 4, 3, 2, 1, 0]
    assert third["next_cursor"] is None


def test_list_filters_by_local_date(patient_api: ApiClient) -> None:
    for day in range(1, 6):
        patient_api.post(
            ENTRIES, json={"intensity": day, "recorded_at": f"2026-01-0{day}T12:00:00Z"}
        )

    page = patient_api.get(f"{ENTRIES}?from=2026-01-02&to=2026-01-04").get_json()

    assert [e["local_date"] for e in page["items"]] == ["2026-01-04", "2026-01-03", "2026-01-02"]


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-02-01&to=2026-01-01",
        "from=yesterday",
        "limit=0",
        "limit=1000",
        "cursor=@@@",
        "cursor=bm9wZQ",
    ],
)
def test_bad_list_queries_are_422(patient_api: ApiClient, query: str) -> None:
    response = patient_api.get(f"{ENTRIES}?{query}")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_patch_keeps_the_earlier_version(patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json=entry_body(note="First words.")).get_json()
    url = f"{ENTRIES}/{entry['id']}"

    response = patient_api.patch(url, json={"note": "Second words.", "intensity": 8})

    assert response.status_code == 200
    assert response.get_json()["note"] == "Second words."
    assert response.get_json()["version"] == 2
    revisions = patient_api.get(f"{url}/revisions").get_json()["items"]
    assert [r["version"] for r in revisions] == [1]
    assert revisions[0]["entry"]["note"] == "First words."
    assert revisions[0]["entry"]["intensity"] == 6


def test_patch_can_change_locations_and_date(patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json=entry_body()).get_json()

    changed = patient_api.patch(
        f"{ENTRIES}/{entry['id']}",
        json={
            "locations": [{"region": "front_shoulder_left", "intensity": 2}],
            "recorded_at": "2026-03-30T23:30:00+02:00",
        },
    ).get_json()

    assert changed["locations"] == [
        {"region": "front_shoulder_left", "intensity": 2, "qualities": []}
    ]
    assert changed["local_date"] == "2026-03-30"


@pytest.mark.parametrize(
    "body", [{}, {"intensity": None}, {"intensity": 11}, {"id": str(uuid.uuid4())}]
)
def test_bad_patches_are_422(patient_api: ApiClient, body: dict[str, Any]) -> None:
    entry = patient_api.post(ENTRIES, json=entry_body()).get_json()

    response = patient_api.patch(f"{ENTRIES}/{entry['id']}", json=body)

    assert response.status_code == 422


def test_delete_is_soft_and_undoable(patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json=entry_body()).get_json()
    url = f"{ENTRIES}/{entry['id']}"

    assert patient_api.delete(url).status_code == 204
    assert patient_api.get(url).status_code == 404
    assert patient_api.get(ENTRIES).get_json()["items"] == []

    restored = patient_api.post(f"{url}/restore")

    assert restored.status_code == 200
    assert patient_api.get(url).get_json()["note"] == entry["note"]


def test_restore_after_30_days_is_404(app: Flask, patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json=entry_body()).get_json()
    url = f"{ENTRIES}/{entry['id']}"
    patient_api.delete(url)
    with app.app_context():
        db.session.execute(
            update(PainEntry).values(deleted_at=datetime.now(UTC) - timedelta(days=31))
        )
        db.session.commit()

    assert patient_api.post(f"{url}/restore").status_code == 404


def test_posting_a_deleted_id_again_does_not_resurrect_it(patient_api: ApiClient) -> None:
    body = entry_body(id=str(uuid.uuid4()))
    patient_api.post(ENTRIES, json=body)
    patient_api.delete(f"{ENTRIES}/{body['id']}")

    assert patient_api.post(ENTRIES, json=body).status_code == 409


def test_another_patients_entry_is_404_on_every_route(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        other_id = make_user(db.session, email="other@example.org").id
        db.session.commit()
    other_api = ApiClient(app.test_client())
    other_api.login("other@example.org")
    entry = other_api.post(ENTRIES, json=entry_body()).get_json()
    deleted = other_api.post(ENTRIES, json=entry_body()).get_json()
    other_api.delete(f"{ENTRIES}/{deleted['id']}")
    mine = f"{ENTRIES}/{entry['id']}"
    theirs = f"/api/v1/patients/{other_id}/entries"

    assert patient_api.get(mine).status_code == 404
    assert patient_api.patch(mine, json={"intensity": 1}).status_code == 404
    assert patient_api.delete(mine).status_code == 404
    assert patient_api.get(f"{mine}/revisions").status_code == 404
    assert patient_api.post(f"{ENTRIES}/{deleted['id']}/restore").status_code == 404
    assert patient_api.get(theirs).status_code == 404
    assert patient_api.post(theirs, json=entry_body()).status_code == 404
    assert patient_api.get(f"{theirs}/{entry['id']}").status_code == 404
    assert patient_api.post(ENTRIES, json=entry_body(id=entry["id"])).status_code == 409
    assert other_api.get(f"{ENTRIES}/{entry['id']}").get_json()["intensity"] == 6


def test_unknown_entry_and_bad_ids_are_404(patient_api: ApiClient) -> None:
    assert patient_api.get(f"{ENTRIES}/{uuid.uuid4()}").status_code == 404
    assert patient_api.get(f"{ENTRIES}/not-a-uuid").status_code == 404
    assert patient_api.get(f"{ENTRIES}/{'9' * 400}").status_code == 404


def test_entries_need_sign_in(api: ApiClient) -> None:
    assert api.get(ENTRIES).status_code == 401
    assert api.post(ENTRIES, json=entry_body()).status_code == 401


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"intensity": 7.0}, "intensity"),
        ({"intensity": "7"}, "intensity"),
        ({"intensity": True}, "intensity"),
        ({"intensity": 11}, "intensity"),
        ({"intensity": -1}, "intensity"),
        ({"intensity": 2.589e-42}, "intensity"),
        ({"intensity": None}, "intensity"),
        ({"worst_24h": 12}, "worst_24h"),
        ({"recorded_at": "2026-03-29T08:30:00"}, "recorded_at"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
        ({"recorded_at": "1899-12-31T00:00:00Z"}, "recorded_at"),
        ({"recorded_at": 1700000000}, "recorded_at"),
        ({"locations": [{"region": "tail"}]}, "locations"),
        (
            {"locations": [{"region": "front_shoulder_right"}, {"region": "front_shoulder_right"}]},
            "locations",
        ),
        ({"locations": [{"region": "front_shoulder_right", "intensity": 11}]}, "locations"),
        ({"locations": [{"region": "front_shoulder_right", "qualities": ["tickly"]}]}, "locations"),
        ({"locations": "front_shoulder_right"}, "locations"),
        ({"qualities": ["burning", "burning"]}, "qualities"),
        ({"qualities": ["spicy"]}, "qualities"),
        ({"note": "x" * 2001}, "note"),
        ({"note": "nul \x00 byte"}, "note"),
        ({"interference": {"walking": 11}}, "interference"),
        ({"interference": {"dancing": 3}}, "interference"),
        ({"triggers": ["cold", "cold"]}, "triggers"),
        ({"id": "not-a-uuid"}, "id"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_invalid_fields_are_422_with_the_field_named(
    app: Flask, patient_api: ApiClient, fields: dict[str, Any], bad: str
) -> None:
    response = patient_api.post(ENTRIES, json=entry_body(**fields))

    assert response.status_code == 422
    assert bad in response.get_json()["errors"]
    assert count_entries(app) == 0


def test_missing_intensity_is_422(patient_api: ApiClient) -> None:
    response = patient_api.post(ENTRIES, json={"note": "forgot the number"})

    assert response.get_json()["errors"] == {"intensity": ["Missing data for required field."]}


def test_nan_and_infinity_are_refused(patient_api: ApiClient) -> None:
    for raw in (b'{"intensity": NaN}', b'{"intensity": Infinity}'):
        response = patient_api.post(ENTRIES, data=raw, headers={"Content-Type": "application/json"})
        assert response.status_code in (400, 422)
        assert response.mimetype == "application/problem+json"


def test_more_than_ten_minutes_ahead_is_refused(patient_api: ApiClient) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    later = (datetime.now(UTC) + timedelta(minutes=15)).isoformat()

    assert patient_api.post(ENTRIES, json={"intensity": 1, "recorded_at": soon}).status_code == 201
    response = patient_api.post(ENTRIES, json={"intensity": 1, "recorded_at": later})
    assert response.status_code == 422
    assert "recorded_at" in response.get_json()["errors"]


def test_a_note_of_2000_characters_with_emoji_is_kept_whole(patient_api: ApiClient) -> None:
    note = ('Burning 🔥, "quoted", <b>not bold</b>\nline two ' * 60)[:2000]

    entry = patient_api.post(ENTRIES, json={"intensity": 5, "note": note}).get_json()

    assert patient_api.get(f"{ENTRIES}/{entry['id']}").get_json()["note"] == note


def test_oversized_entry_body_is_413(patient_api: ApiClient) -> None:
    response = patient_api.post(ENTRIES, json={"intensity": 5, "note": "x" * 400_000})

    assert response.status_code == 413


def test_reference_vocabularies(client: Any) -> None:
    regions = client.get("/api/v1/reference/regions").get_json()
    qualities = client.get("/api/v1/reference/qualities").get_json()

    assert len(regions) == 80
    assert set(regions[0]) == {"code", "label", "view", "side", "snomed"}
    assert {"burning", "sharp", "pins_and_needles"} <= {q["code"] for q in qualities}


def test_entries_are_in_the_openapi_document(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    entries = paths["/api/v1/patients/{pid}/entries"]
    one = paths["/api/v1/patients/{pid}/entries/{entry_id}"]
    assert set(entries) == {"get", "post"}
    assert set(one) == {"get", "patch", "delete"}
    assert "/api/v1/patients/{pid}/entries/{entry_id}/revisions" in paths
    assert "/api/v1/patients/{pid}/entries/{entry_id}/restore" in paths


def test_user_model_is_untouched_by_entries(app: Flask, patient_api: ApiClient) -> None:
    patient_api.post(ENTRIES, json=entry_body())
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_patched_location_still_needs_its_region(patient_api: ApiClient) -> None:
    entry = patient_api.post(ENTRIES, json=entry_body()).get_json()

    response = patient_api.patch(f"{ENTRIES}/{entry['id']}", json={"locations": [{"intensity": 3}]})

    assert response.status_code == 422
    assert "locations" in response.get_json()["errors"]
