"""What the API's fuzz tests send: any JSON at all, and objects of a route's own fields."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.conftest import ApiClient


def scalars(known: Sequence[Any], *, text_size: int = 30) -> SearchStrategy[Any]:
    """Any JSON scalar (NaN, the infinities, integers past 64 bits) or a value the API knows."""
    return (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=text_size)
        | st.sampled_from(list(known))
    )


def json_values(
    leaves: SearchStrategy[Any],
    keys: Sequence[str],
    *,
    list_size: int,
    object_size: int,
    max_leaves: int,
) -> SearchStrategy[Any]:
    """Nested lists and objects (with keys the API reads) of those scalars."""
    return st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=list_size)
            | st.dictionaries(st.sampled_from(list(keys)), children, max_size=object_size)
        ),
        max_leaves=max_leaves,
    )


def bodies(fields: Sequence[str], values: SearchStrategy[Any], *, max_size: int) -> Any:
    """An object of a route's fields with any values, or any JSON at all."""
    return st.dictionaries(st.sampled_from(list(fields)), values, max_size=max_size) | values


def fuzz_settings(max_examples: int) -> Any:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def send(api: ApiClient, method: str, path: str, body: Any) -> int:
    """Send the body as raw JSON (NaN and all); the answer must be JSON of some kind."""
    raw = json.dumps(body, allow_nan=True)
    response = api.request(method, path, data=raw, headers={"Content-Type": "application/json"})
    assert response.mimetype in ("application/json", "application/problem+json")
    return int(response.status_code)
