"""The reminders and push API: schedules, this browser's subscription, test, snooze."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from diary.accounts.auth import login_required
from diary.database import utcnow
from diary.errors import NotFound
from diary.extensions import csrf, db
from diary.http import doc, dump, load_json
from diary.reminders.messages import read_snooze_token
from diary.reminders.notify import send_test
from diary.reminders.scheduler import dispatcher_for, vapid_for
from diary.reminders.vapid import public_key_of
from diary.schemas.reminders import (
    PushSubscriptionDeleteSchema,
    PushSubscriptionInSchema,
    PushSubscriptionSchema,
    ReminderInSchema,
    ReminderListSchema,
    ReminderPatchSchema,
    ReminderSchema,
    SnoozedSchema,
    SnoozeSchema,
    TestResultSchema,
    VapidKeySchema,
)
from diary.services import push as push_service
from diary.services import reminders as reminders_service

bp = Blueprint("reminders_api", __name__, url_prefix="/api/v1")

TAGS = ["reminders"]
PUSH_TAGS = ["push"]
REMINDER = "/reminders/<uuid:reminder_id>"


@bp.post("/reminders")
@login_required
@doc("Add a reminder", tags=TAGS, body=ReminderInSchema, responses={201: ReminderSchema})
def create_reminder() -> ResponseReturnValue:
    data = load_json(ReminderInSchema())
    schedule = reminders_service.create_reminder(db.session, current_user, data, utcnow())
    db.session.commit()
    return dump(
        ReminderSchema(),
        schedule,
        201,
        headers={"Location": f"/api/v1/reminders/{schedule.id}"},
    )


@bp.get("/reminders")
@login_required
@doc("My reminders", tags=TAGS, responses={200: ReminderListSchema})
def list_reminders() -> ResponseReturnValue:
    items = reminders_service.list_reminders(db.session, current_user)
    return dump(ReminderListSchema(), {"items": items})


@bp.get(REMINDER)
@login_required
@doc("One reminder", tags=TAGS, responses={200: ReminderSchema})
def get_reminder(reminder_id: uuid.UUID) -> ResponseReturnValue:
    return dump(
        ReminderSchema(), reminders_service.get_reminder(db.session, current_user, reminder_id)
    )


@bp.patch(REMINDER)
@login_required
@doc(
    "Change or pause a reminder",
    tags=TAGS,
    body=ReminderPatchSchema,
    responses={200: ReminderSchema},
)
def patch_reminder(reminder_id: uuid.UUID) -> ResponseReturnValue:
    schedule = reminders_service.get_reminder(db.session, current_user, reminder_id)
    changes = load_json(ReminderPatchSchema())
    reminders_service.update_reminder(db.session, current_user, schedule, changes, utcnow())
    db.session.commit()
    return dump(ReminderSchema(), schedule)


@bp.delete(REMINDER)
@login_required
@doc("Remove a reminder", tags=TAGS, responses={204: "Removed"})
def delete_reminder(reminder_id: uuid.UUID) -> ResponseReturnValue:
    schedule = reminders_service.get_reminder(db.session, current_user, reminder_id)
    reminders_service.delete_reminder(db.session, schedule)
    db.session.commit()
    return "", 204


@bp.post("/reminders/test")
@login_required
@doc(
    "Send a test notification to my browsers and e-mail now",
    tags=TAGS,
    responses={200: TestResultSchema},
)
def test_notification() -> ResponseReturnValue:
    result = send_test(db.session, current_user, dispatcher_for(current_app), utcnow())
    db.session.commit()
    return dump(TestResultSchema(), result)


# The notification's "snooze" button: the signed token is the credential (no cookie, so
# no CSRF to guard against); it names one schedule and expires after a day.
@bp.post("/reminders/snooze")
@doc(
    "Snooze a reminder from its notification",
    tags=TAGS,
    body=SnoozeSchema,
    responses={200: SnoozedSchema, 404: "Unknown or expired token"},
    public=True,
)
def snooze() -> ResponseReturnValue:
    data = load_json(SnoozeSchema())
    schedule_id = read_snooze_token(current_app.config["SECRET_KEY"], data["token"])
    if schedule_id is None:
        raise NotFound("This reminder cannot be snoozed any more.")
    schedule = reminders_service.snooze(db.session, schedule_id, data["minutes"], utcnow())
    db.session.commit()
    return dump(SnoozedSchema(), schedule)


csrf.exempt(snooze)


@bp.get("/push/vapid-public-key")
@doc(
    "The key browsers subscribe with", tags=PUSH_TAGS, responses={200: VapidKeySchema}, public=True
)
def vapid_public_key() -> ResponseReturnValue:
    return dump(
        VapidKeySchema(),
        {"key": public_key_of(vapid_for(current_app))},
        headers={"Cache-Control": "public, max-age=3600"},
    )


@bp.post("/push/subscriptions")
@login_required
@doc(
    "Let this browser show reminders",
    tags=PUSH_TAGS,
    body=PushSubscriptionInSchema,
    responses={201: PushSubscriptionSchema, 200: PushSubscriptionSchema},
)
def subscribe() -> ResponseReturnValue:
    data = load_json(PushSubscriptionInSchema())
    subscription, created = push_service.save_subscription(
        db.session,
        current_user,
        data,
        utcnow(),
        allow_http=current_app.config["PUSH_ALLOW_HTTP"],
        user_agent=request.headers.get("User-Agent", ""),
    )
    db.session.commit()
    return dump(PushSubscriptionSchema(), subscription, 201 if created else 200)


@bp.delete("/push/subscriptions")
@login_required
@doc(
    "Stop reminders in this browser",
    tags=PUSH_TAGS,
    body=PushSubscriptionDeleteSchema,
    responses={204: "Unsubscribed"},
)
def unsubscribe() -> ResponseReturnValue:
    data = load_json(PushSubscriptionDeleteSchema())
    push_service.delete_subscription(db.session, current_user, data["endpoint"])
    db.session.commit()
    return "", 204
