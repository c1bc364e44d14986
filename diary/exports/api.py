"""The patient's own copy: the diary as CSV and FHIR, the whole account as JSON, CSV import.

Exports of the whole diary are the patient's alone (OWNER): a caregiver or clinician reads
through the scoped routes and the appointment report, each read audited.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.errors import ValidationFailed
from diary.extensions import db
from diary.http import body_limit, doc, dump
from diary.schemas.exports import ColumnMappingSchema, ImportSummarySchema
from diary.services import exports as exports_service
from diary.services import fhir as fhir_service
from diary.services import imports as imports_service
from diary.services.access import OWNER
from diary.services.entries import local_date_of

bp = Blueprint("exports_api", __name__, url_prefix="/api/v1")

TAGS = ["exports"]
NO_STORE = "no-store"


def download(body: str | bytes, mimetype: str, filename: str) -> Response:
    """A file to save, never cached on the way (it is a whole diary)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = NO_STORE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _stamp() -> str:
    return local_date_of(utcnow(), current_user.timezone).isoformat()


@bp.get("/patients/<pid>/export.csv")
@login_required
@doc(
    "The whole diary as CSV, one row per entry (the patient alone)",
    tags=TAGS,
    responses={200: "text/csv (RFC 4180, UTF-8); the columns are listed in README.md"},
)
def export_csv(pid: str) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    text = exports_service.diary_csv(db.session, patient)
    return download(text, "text/csv; charset=utf-8; header=present", f"pain-diary-{_stamp()}.csv")


@bp.get("/patients/<pid>/export.fhir.json")
@login_required
@doc(
    "The whole diary as a FHIR R4 Bundle of type collection (the patient alone)",
    tags=TAGS,
    responses={200: "application/fhir+json"},
)
def export_fhir(pid: str) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    bundle = fhir_service.diary_bundle(db.session, patient, utcnow())
    return download(
        json.dumps(bundle, ensure_ascii=False, indent=1),
        "application/fhir+json",
        f"pain-diary-{_stamp()}.fhir.json",
    )


@bp.get("/me/export.json")
@login_required
@doc(
    "Everything stored about me, as JSON: diary, care links, audit trail …",
    tags=TAGS,
    responses={200: "application/json"},
)
def export_account() -> ResponseReturnValue:
    data = exports_service.account_json(db.session, current_user, utcnow())
    return download(
        json.dumps(data, ensure_ascii=False, indent=1),
        "application/json",
        f"pain-diary-account-{_stamp()}.json",
    )


def uploaded_csv() -> tuple[str, imports_service.ColumnMapping | None]:
    """The CSV text and, for another app's export, the column mapping."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed({"file": ["Attach the CSV file as the field 'file'."]})
        text = imports_service.decode(upload.read())
        mapping = _mapping(request.form.get("mapping"), request.form.get("date_order"))
        return text, mapping
    if request.mimetype in ("text/csv", "text/plain"):
        return imports_service.decode(request.get_data()), None
    raise ValidationFailed(
        {"file": ["Send the CSV as multipart/form-data (field 'file') or as text/csv."]}
    )


def _mapping(raw: str | None, date_order: str | None) -> imports_service.ColumnMapping | None:
    if not raw:
        return None
    try:
        columns: Any = json.loads(raw)
    except ValueError:
        raise ValidationFailed({"mapping": ["Send the mapping as a JSON object."]}) from None
    data = ColumnMappingSchema().load({"columns": columns, "date_order": date_order or "ymd"})
    return imports_service.ColumnMapping(data["columns"], data["date_order"])


@bp.post("/patients/<pid>/import.csv")
@login_required
@body_limit("IMPORT_MAX_BYTES")
@doc(
    "Import entries from CSV: our export, or another app's with a column mapping",
    tags=TAGS,
    media={
        "text/csv": {"type": "string", "description": "A Pain Diary CSV export"},
        "multipart/form-data": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "mapping": {
                    "type": "string",
                    "description": 'JSON: {"intensity": "Pain level", "date": "Date", …}',
                },
                "date_order": {"type": "string", "enum": ["ymd", "dmy", "mdy"]},
            },
        },
    },
    responses={200: ImportSummarySchema, 413: "Larger than IMPORT_MAX_BYTES"},
)
def import_csv(pid: str) -> ResponseReturnValue:
    patient = reach(pid, OWNER).patient
    text, mapping = uploaded_csv()
    summary = imports_service.import_csv(db.session, patient, current_user, text, utcnow(), mapping)
    db.session.commit()
    return dump(ImportSummarySchema(), summary)
