"""Jinja filters: times shown in the patient's own zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def localtime(moment: datetime, timezone: str, fmt: str = "%H:%M") -> str:
    """Format a UTC moment as the clock on the patient's wall showed it."""
    return moment.astimezone(ZoneInfo(timezone)).strftime(fmt)
