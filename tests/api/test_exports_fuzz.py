"""Whatever a client sends to the import, the report or the account deletion: never a 500."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.services.exports import COLUMNS
from tests.conftest import ApiClient

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "5", "11", "-1", "=1+1", "'=x", "2026-03-01T08:00:00Z", "front_hand_right=4",
         "burning", "yes", "maybe", "00000000-0000-0000-0000-000000000000", "29.02.2026", "9 PM"]
    ),
)  # fmt: skip
header = st.lists(st.sampled_from([*COLUMNS, "Date", "Pain", "x"]), min_size=1, max_size=8)


@st.composite
def csv_texts(draw: Any) -> str:
    names = draw(header)
    rows = draw(st.lists(st.lists(cells, max_size=len(names) + 1), max_size=5))
    quote = draw(st.booleans())

    def line(values: list[str]) -> str:
        return ",".join(f'"{v}"' if quote else v for v in values)

    return "\r\n".join([line(names), *(line(r) for r in rows)]) + draw(
        st.sampled_from(["", "\r\n"])
    )


def answered(response: Any) -> int:
    assert response.mimetype in ("application/json", "application/problem+json"), response.data
    return int(response.status_code)


@SETTINGS
@given(text=csv_texts() | st.text(max_size=200))
def test_any_csv_body_gets_an_answer(patient_api: ApiClient, text: str) -> None:
    response = patient_api.post(
        "/api/v1/patients/me/import.csv", data=text, content_type="text/csv"
    )

    assert answered(response) in (200, 422)


mappings = st.one_of(
    st.text(max_size=30),
    st.dictionaries(
        st.sampled_from(["date", "time", "recorded_at", "intensity", "note", "triggers", "zzz"]),
        st.one_of(st.sampled_from(["Date", "Pain", "x", ""]), st.integers(), st.none()),
        max_size=4,
    ).map(json.dumps),
)


@SETTINGS
@given(text=csv_texts(), mapping=mappings, order=st.sampled_from(["ymd", "dmy", "mdy", "x", ""]))
def test_any_upload_with_a_mapping_gets_an_answer(
    patient_api: ApiClient, text: str, mapping: str, order: str
) -> None:
    response = patient_api.post(
        "/api/v1/patients/me/import.csv",
        data={
            "file": (io.BytesIO(text.encode()), "a.csv"),
            "mapping": mapping,
            "date_order": order,
        },
        content_type="multipart/form-data",
    )

    assert answered(response) in (200, 422)


queries = st.dictionaries(
    st.sampled_from(["from", "to", "sections", "x"]),
    st.one_of(
        st.text(max_size=15),
        st.sampled_from(["2026-03-01", "2026-02-30", "0001-01-01", "9999-12-31", "summary,notes"]),
    ),
    max_size=4,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=queries)
def test_any_report_query_gets_an_answer(patient_api: ApiClient, query: dict[str, str]) -> None:
    response = patient_api.get(f"/api/v1/patients/me/report.pdf?{urlencode(query)}")

    assert response.status_code in (200, 422), response.data[:200]


@SETTINGS
@given(body=st.one_of(st.none(), st.integers(), st.text(max_size=10), st.dictionaries(
    st.sampled_from(["password", "x"]), st.one_of(st.none(), st.integers(), st.text(max_size=20)),
    max_size=2)))  # fmt: skip
def test_any_deletion_body_gets_an_answer(patient_api: ApiClient, body: Any) -> None:
    response = patient_api.delete(
        "/api/v1/me", data=json.dumps(body), content_type="application/json"
    )

    assert answered(response) in (403, 422, 429)
