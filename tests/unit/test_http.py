"""Helpers of the edge."""

from __future__ import annotations

import pytest

from diary.http import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/entries?day=2026-01-01", "/entries?day=2026-01-01"),
        (None, "/"),
        ("", "/"),
        ("entries", "/"),
        ("http://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected
