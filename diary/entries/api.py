"""The entries API and the reference vocabularies."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.errors import Forbidden
from diary.extensions import db
from diary.http import doc, dump, load_json
from diary.models import PainEntry
from diary.reference import QUALITIES, REGIONS
from diary.schemas.entries import (
    EntryInSchema,
    EntryListQuerySchema,
    EntryPageSchema,
    EntryPatchSchema,
    EntrySchema,
    QualitySchema,
    RegionSchema,
    RevisionListSchema,
)
from diary.services import entries as entries_service
from diary.services.access import Access

bp = Blueprint("entries_api", __name__, url_prefix="/api/v1")

TAGS = ["entries"]
ENTRIES = "/patients/<pid>/entries"
ENTRY = "/patients/<pid>/entries/<uuid:entry_id>"
# The vocabularies are the same for everyone and change only with a release.
CACHE_A_DAY = {"Cache-Control": "public, max-age=86400"}

# One instance of each shape for every request: building a schema costs more than using it,
# and marshmallow 4 keeps no per-call state on an instance (no context), so threads share it.
ENTRY_IN = EntryInSchema()
ENTRY_PATCH = EntryPatchSchema()
ENTRY_OUT = EntrySchema()
ENTRY_OUT_WITHOUT_NOTE = EntrySchema(exclude=("note",))
REGIONS_OUT = RegionSchema(many=True)
QUALITIES_OUT = QualitySchema(many=True)


def entry_schema(access: Access) -> EntrySchema:
    """Fields outside the link's scopes are left out of the answer, not nulled."""
    return ENTRY_OUT if access.allows("notes") else ENTRY_OUT_WITHOUT_NOTE


def without_note(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in snapshot.items() if key != "note"}


def editable_entry(access: Access, entry_id: uuid.UUID, *, deleted: bool = False) -> PainEntry:
    """The patient edits anything; someone logging on their behalf, only what they wrote."""
    entry = entries_service.get_entry(db.session, access.patient, entry_id, deleted=deleted)
    if not access.is_owner and entry.author_id != access.actor.id:
        raise Forbidden("Only the patient can change an entry someone else wrote.")
    return entry


@bp.get("/reference/regions")
@doc("Body regions", tags=["reference"], responses={200: RegionSchema(many=True)}, public=True)
def regions() -> ResponseReturnValue:
    return dump(REGIONS_OUT, REGIONS, headers=CACHE_A_DAY)


@bp.get("/reference/qualities")
@doc("Pain qualities", tags=["reference"], responses={200: QualitySchema(many=True)}, public=True)
def qualities() -> ResponseReturnValue:
    return dump(QUALITIES_OUT, QUALITIES, headers=CACHE_A_DAY)


@bp.post(ENTRIES)
@login_required
@doc(
    "Log an entry (idempotent by id)",
    tags=TAGS,
    body=EntryInSchema,
    responses={201: EntrySchema, 200: EntrySchema, 409: "Same id, other content"},
)
def create_entry(pid: str) -> ResponseReturnValue:
    access = reach(pid, "log_on_behalf", "create:entry")
    patient = access.patient
    data = load_json(ENTRY_IN)
    entry, created = entries_service.create_entry(db.session, patient, current_user, data, utcnow())
    db.session.commit()
    return dump(
        entry_schema(access),
        entry,
        201 if created else 200,
        headers={"Location": f"/api/v1/patients/{pid}/entries/{entry.id}"},
    )


@bp.get(ENTRIES)
@login_required
@doc(
    "List entries, newest first",
    tags=TAGS,
    query=EntryListQuerySchema,
    responses={200: EntryPageSchema},
)
def list_entries(pid: str) -> ResponseReturnValue:
    access = reach(pid, "entries", "read:entries")
    query = EntryListQuerySchema().load(request.args)
    page = entries_service.list_entries(
        db.session,
        access.patient,
        from_=query["from_"],
        to=query["to"],
        cursor=query["cursor"],
        limit=query["limit"],
    )
    db.session.commit()
    return dump(EntryPageSchema(exclude=() if access.allows("notes") else ("items.note",)), page)


@bp.get(ENTRY)
@login_required
@doc("One entry", tags=TAGS, responses={200: EntrySchema})
def get_entry(pid: str, entry_id: uuid.UUID) -> ResponseReturnValue:
    access = reach(pid, "entries", "read:entry")
    entry = entries_service.get_entry(db.session, access.patient, entry_id)
    db.session.commit()
    return dump(entry_schema(access), entry)


@bp.patch(ENTRY)
@login_required
@doc(
    "Edit an entry (the earlier version is kept)",
    tags=TAGS,
    body=EntryPatchSchema,
    responses={200: EntrySchema},
)
def patch_entry(pid: str, entry_id: uuid.UUID) -> ResponseReturnValue:
    access = reach(pid, "log_on_behalf", "edit:entry")
    entry = editable_entry(access, entry_id)
    changes = load_json(ENTRY_PATCH)
    entries_service.update_entry(db.session, access.patient, entry, changes, current_user, utcnow())
    db.session.commit()
    return dump(entry_schema(access), entry)


@bp.delete(ENTRY)
@login_required
@doc("Delete an entry (undoable for 30 days)", tags=TAGS, responses={204: "Deleted"})
def delete_entry(pid: str, entry_id: uuid.UUID) -> ResponseReturnValue:
    access = reach(pid, "log_on_behalf", "delete:entry")
    entry = editable_entry(access, entry_id)
    entries_service.delete_entry(db.session, entry, utcnow())
    db.session.commit()
    return "", 204


@bp.post(f"{ENTRY}/restore")
@login_required
@doc("Restore a deleted entry", tags=TAGS, responses={200: EntrySchema})
def restore_entry(pid: str, entry_id: uuid.UUID) -> ResponseReturnValue:
    access = reach(pid, "log_on_behalf", "restore:entry")
    editable_entry(access, entry_id, deleted=True)
    entry = entries_service.restore_entry(db.session, access.patient, entry_id, utcnow())
    db.session.commit()
    return dump(entry_schema(access), entry)


@bp.get(f"{ENTRY}/revisions")
@login_required
@doc("Earlier versions of an entry, newest first", tags=TAGS, responses={200: RevisionListSchema})
def list_revisions(pid: str, entry_id: uuid.UUID) -> ResponseReturnValue:
    access = reach(pid, "entries", "read:revisions")
    entry = entries_service.get_entry(db.session, access.patient, entry_id)
    revisions = entries_service.list_revisions(db.session, entry)
    db.session.commit()
    items = [
        {
            "version": r.version,
            "edited_at": r.edited_at,
            "edited_by_id": r.edited_by_id,
            "snapshot": r.snapshot if access.allows("notes") else without_note(r.snapshot),
        }
        for r in revisions
    ]
    return dump(RevisionListSchema(), {"items": items})
