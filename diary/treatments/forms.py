"""Turn the treatment form into the JSON body the API takes, and a treatment back into values."""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from diary.entries.forms import local_datetime
from diary.models import Treatment
from diary.models.treatments import SIDE_EFFECTS

_NUMBER = re.compile(r"^(\d{1,7}([.,]\d{1,4})?|[.,]\d{1,4})$")


def number(value: str | None) -> Any:
    """A typed number (a decimal comma is fine); anything else is passed on as typed."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if _NUMBER.match(text):
        return float(text.replace(",", "."))
    return text


def whole(value: str | None) -> Any:
    if value is None or not value.strip():
        return None
    text = value.strip()
    return int(text) if text.isdigit() and len(text) <= 3 else text


def blank_to_none(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def side_effects_from_form(form: MultiDict[str, str]) -> list[dict[str, Any]]:
    effects = []
    for code in SIDE_EFFECTS:
        severity = whole(form.get(f"effect.{code}"))
        if severity in (None, 0):
            continue
        effect: dict[str, Any] = {"code": code, "severity": severity}
        if code == "other" and form.get("effect_note", "").strip():
            effect["note"] = form["effect_note"]
        effects.append(effect)
    return effects


def treatment_data_from_form(form: MultiDict[str, str], timezone: str) -> dict[str, Any]:
    """The JSON body the API would get for this form (validated by the same schema)."""
    data: dict[str, Any] = {"kind": blank_to_none(form.get("kind"))}
    if data["kind"] is None:
        del data["kind"]
    started = local_datetime(form.get("started_at"), timezone)
    if started is not None:
        data["started_at"] = started
    minutes = whole(form.get("duration"))
    data["ended_at"] = None
    if isinstance(minutes, int) and isinstance(started, str):
        with suppress(ValueError):  # an unreadable start is reported by the schema
            data["ended_at"] = (
                datetime.fromisoformat(started) + timedelta(minutes=minutes)
            ).isoformat()
    data["dose"] = number(form.get("dose"))
    data["dose_unit"] = blank_to_none(form.get("dose_unit"))
    data["setting"] = blank_to_none(form.get("setting"))
    data["series_phase"] = blank_to_none(form.get("series_phase"))
    data["series_number"] = whole(form.get("series_number"))
    data["adjuvants"] = [
        part.strip() for part in form.get("adjuvants", "").split(",") if part.strip()
    ]
    data["side_effects"] = side_effects_from_form(form)
    data["note"] = blank_to_none(form.get("note", "").strip())
    return data


def json_body(values: dict[str, Any]) -> dict[str, Any]:
    """Service values as the API's JSON body (times in ISO 8601)."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in values.items()
    }


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")


def form_values(values: dict[str, Any], timezone: str) -> dict[str, Any]:
    """What the form shows for treatment values (stored, or proposed by the service)."""
    started = values.get("started_at")
    ended = values.get("ended_at")
    duration = None
    if isinstance(started, datetime) and isinstance(ended, datetime):
        duration = int((ended - started).total_seconds() // 60)
    dose = values.get("dose")
    return {
        "kind": values.get("kind"),
        "started_at": _local(started, timezone) if isinstance(started, datetime) else "",
        "duration": duration,
        "dose": "" if dose is None else f"{dose:g}",
        "dose_unit": values.get("dose_unit") or "",
        "setting": values.get("setting") or "",
        "series_phase": values.get("series_phase") or "",
        "series_number": values.get("series_number") or "",
        "adjuvants": ", ".join(values.get("adjuvants") or []),
        "effects": {e["code"]: e.get("severity") for e in values.get("side_effects") or []},
        "effect_note": next(
            (e.get("note") or "" for e in values.get("side_effects") or [] if e["code"] == "other"),
            "",
        ),
        "note": values.get("note") or "",
    }


def values_of(treatment: Treatment) -> dict[str, Any]:
    return {
        key: getattr(treatment, key)
        for key in (
            "kind",
            "started_at",
            "ended_at",
            "dose",
            "dose_unit",
            "setting",
            "series_phase",
            "series_number",
            "adjuvants",
            "side_effects",
            "note",
        )
    }


def form_values_from_post(form: MultiDict[str, str]) -> dict[str, Any]:
    """Keep what the person typed when the form comes back with errors."""
    return {
        "kind": form.get("kind"),
        "started_at": form.get("started_at", ""),
        "duration": whole(form.get("duration")),
        "dose": form.get("dose", ""),
        "dose_unit": form.get("dose_unit", ""),
        "setting": form.get("setting", ""),
        "series_phase": form.get("series_phase", ""),
        "series_number": form.get("series_number", ""),
        "adjuvants": form.get("adjuvants", ""),
        "effects": {code: whole(form.get(f"effect.{code}")) for code in SIDE_EFFECTS},
        "effect_note": form.get("effect_note", ""),
        "note": form.get("note", ""),
    }
