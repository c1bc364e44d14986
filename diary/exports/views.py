"""The import page: upload a CSV; another app's export takes one more step, the mapping."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required
from diary.database import utcnow
from diary.errors import ValidationFailed
from diary.extensions import db
from diary.http import body_limit
from diary.services import imports as imports_service

bp = Blueprint("exports", __name__)

# Header words that suggest what a column of another app's export holds.
GUESSES = {
    "recorded_at": ("datetime", "date_time", "timestamp", "date and time"),
    "date": ("date", "day", "datum"),
    "time": ("time", "hour", "uhrzeit"),
    "intensity": ("pain", "intensity", "level", "score", "severity", "nrs"),
    "note": ("note", "notes", "comment", "description", "diary"),
    "triggers": ("trigger", "triggers", "cause"),
    "mood": ("mood",),
    "sleep_quality": ("sleep",),
}


def guess_mapping(header: list[str]) -> dict[str, str]:
    """A first guess of which column is which; the person checks it before importing."""
    guess: dict[str, str] = {}
    for name, words in GUESSES.items():
        for column in header:
            lowered = column.lower()
            if column not in guess.values() and any(word in lowered for word in words):
                guess[name] = column
                break
    if "recorded_at" in guess and "date" in guess:
        guess.pop("recorded_at" if guess["recorded_at"] == guess["date"] else "date")
    return guess


# Asked first; the others wait behind "More columns".
MAIN_FIELDS = ("date", "time", "intensity", "note")


def guess_date_order(values: list[str]) -> str:
    """Year, day or month first, from how the dates in the file look (day first if unsure)."""
    for value in values:
        parts = [p for p in value.strip().replace(".", "/").replace("-", "/").split("/") if p]
        if len(parts) < 3 or not all(p[:4].isdigit() for p in parts[:3]):
            continue
        if len(parts[0]) == 4:
            return "ymd"
        if int(parts[1]) > 12:
            return "mdy"
    return "dmy"


def _upload_page(errors: dict[str, str] | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("exports/import.html", errors=errors or {}), status


def _mapping_page(
    text: str,
    header: list[str],
    values: dict[str, Any],
    errors: dict[str, str],
    preview: list[dict[str, str]],
) -> ResponseReturnValue:
    html = render_template(
        "exports/mapping.html",
        text=text,
        header=header,
        main={k: v for k, v in imports_service.MAPPABLE.items() if k in MAIN_FIELDS},
        more={k: v for k, v in imports_service.MAPPABLE.items() if k not in MAIN_FIELDS},
        date_orders=imports_service.DATE_ORDERS,
        values=values,
        errors=errors,
        preview=preview,
    )
    return html, 422 if errors else 200


def _first(error: ValidationFailed) -> dict[str, str]:
    return {
        key: str(value[0]) if isinstance(value, list | tuple) and value else str(value)
        for key, value in error.errors.items()
    }


def _done(summary: imports_service.Summary) -> ResponseReturnValue:
    return render_template("exports/imported.html", summary=summary)


@bp.get("/settings/import")
@login_required
def upload_form() -> ResponseReturnValue:
    return _upload_page()


@bp.post("/settings/import")
@login_required
@body_limit("IMPORT_MAX_BYTES")
def upload() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_page({"file": "Choose the CSV file to import."}, 422)
    text = imports_service.decode(upload.read())
    try:
        table = imports_service.read_table(text)
    except ValidationFailed as error:
        return _upload_page(_first(error), 422)
    if not table.is_our_export:
        columns = guess_mapping(table.header)
        dates = [cells.get(columns.get("date") or columns.get("recorded_at", ""), "")
                 for _line, cells in table.records[:50]]  # fmt: skip
        values = {"columns": columns, "date_order": guess_date_order(dates)}
        preview = [cells for _line, cells in table.records[:3]]
        return _mapping_page(text, table.header, values, {}, preview)
    summary = imports_service.import_csv(db.session, current_user, current_user, text, utcnow())
    db.session.commit()
    return _done(summary)


@bp.post("/settings/import/mapping")
@login_required
@body_limit("IMPORT_MAX_BYTES")
def import_mapped() -> ResponseReturnValue:
    text = request.form.get("csv", "")
    columns = {
        name: request.form[f"map-{name}"]
        for name in imports_service.MAPPABLE
        if request.form.get(f"map-{name}")
    }
    date_order = request.form.get("date_order", "ymd")
    mapping = imports_service.ColumnMapping(columns, date_order)
    try:
        table = imports_service.read_table(text)
    except ValidationFailed as error:
        return _upload_page(_first(error), 422)
    try:
        summary = imports_service.import_csv(
            db.session, current_user, current_user, text, utcnow(), mapping
        )
    except ValidationFailed as error:
        values = {"columns": columns, "date_order": date_order}
        preview = [cells for _line, cells in table.records[:3]]
        return _mapping_page(text, table.header, values, _first(error), preview)
    db.session.commit()
    return _done(summary)
