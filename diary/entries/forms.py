"""Turn the log form into the same data the API takes, and an entry back into form values."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from diary.models import PainEntry

REGION_INTENSITY = "region_intensity."
REGION_QUALITY = "region_quality."
CHECKIN = "checkin."


def _blank_to_none(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def _score(value: str | None) -> Any:
    """Form scores arrive as text; pass a whole number on, anything else as typed."""
    if value is None or value == "":
        return None
    return int(value) if value.isdigit() and len(value) <= 2 else value


def local_datetime(value: str | None, timezone: str) -> Any:
    """A datetime-local value read in the patient's zone; bad text is passed on as typed."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.isoformat()


def entry_data_from_form(form: MultiDict[str, str], timezone: str) -> dict[str, Any]:
    """The JSON body the API would get for this form (validated by the same schema)."""
    data: dict[str, Any] = {"intensity": _score(form.get("intensity"))}
    if data["intensity"] is None:
        del data["intensity"]
    if form.get("id"):
        data["id"] = form["id"]
    recorded_at = local_datetime(form.get("recorded_at"), timezone)
    if recorded_at is not None:
        data["recorded_at"] = recorded_at
    data["qualities"] = form.getlist("quality")
    data["locations"] = [
        {
            "region": code,
            "intensity": _score(form.get(REGION_INTENSITY + code)),
            "qualities": form.getlist(REGION_QUALITY + code),
        }
        for code in form.getlist("region")
    ]
    note = _blank_to_none(form.get("note"))
    if note is not None:
        data["note"] = note
    # Only when the form showed these groups: an absent group must not clear stored values.
    if form.get("medications_shown"):
        data["medications_taken"] = form.getlist("medication")
    if form.get("checkin_shown"):
        data["checkin"] = _checkin(form)
    return data


def _checkin(form: MultiDict[str, str]) -> dict[str, Any] | None:
    answers: dict[str, Any] = {
        item: _score(form.get(CHECKIN + item)) for item in ("dissociation", "nausea", "sleep")
    }
    urinary = form.get(CHECKIN + "urinary")
    answers["urinary"] = {"yes": True, "no": False}.get(urinary or "", urinary or None)
    return answers if any(value is not None for value in answers.values()) else None


def form_values_from_entry(entry: PainEntry | None, timezone: str) -> dict[str, Any]:
    """What the form shows for an existing entry (edit) or a template ("same as last time")."""
    if entry is None:
        return {"regions": [], "qualities": [], "region_detail": {}}
    return {
        "intensity": entry.intensity,
        "regions": [location.region for location in entry.locations],
        "qualities": list(entry.qualities),
        "region_detail": {
            location.region: {"intensity": location.intensity, "qualities": location.qualities}
            for location in entry.locations
        },
        "note": entry.note or "",
        "recorded_at": entry.recorded_at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M"),
        "medications_taken": list(entry.medications_taken),
        "checkin": dict(entry.checkin or {}),
    }


def form_values_from_post(form: MultiDict[str, str]) -> dict[str, Any]:
    """Keep what the person typed when the form comes back with errors."""
    regions = form.getlist("region")
    return {
        "intensity": _score(form.get("intensity")),
        "regions": regions,
        "qualities": form.getlist("quality"),
        "region_detail": {
            code: {
                "intensity": _score(form.get(REGION_INTENSITY + code)),
                "qualities": form.getlist(REGION_QUALITY + code),
            }
            for code in regions
        },
        "note": form.get("note", ""),
        "recorded_at": form.get("recorded_at", ""),
        "id": form.get("id", ""),
        "medications_taken": form.getlist("medication"),
        "checkin": _checkin(form) or {},
    }
