"""Push subscriptions: the browsers a patient allowed to show reminders."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from diary.database import DbSession
from diary.errors import NotFound, ValidationFailed
from diary.models import PushSubscription, User


def save_subscription(
    session: DbSession,
    user: User,
    data: dict[str, Any],
    now: datetime,
    *,
    allow_http: bool,
    user_agent: str = "",
) -> tuple[PushSubscription, bool]:
    """Keep this browser's subscription for the user; True when it is new.

    The endpoint identifies the browser: subscribing again updates the keys, and a browser
    that someone else signs into afterwards now belongs to them.
    """
    endpoint = data["endpoint"]
    if not allow_http and not endpoint.startswith("https://"):
        raise ValidationFailed({"endpoint": ["Push services are reached over https."]})
    keys = data["keys"]
    existing = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if existing is not None:
        existing.user_id = user.id
        existing.p256dh = keys["p256dh"]
        existing.auth = keys["auth"]
        session.flush()
        return existing, False
    subscription = PushSubscription(
        user_id=user.id,
        endpoint=endpoint,
        p256dh=keys["p256dh"],
        auth=keys["auth"],
        user_agent=user_agent[:200],
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(subscription)
            session.flush()
    except IntegrityError:
        # The same browser subscribed twice at once; the other request stored it.
        stored, _ = save_subscription(session, user, data, now, allow_http=allow_http)
        return stored, False
    return subscription, True


def delete_subscription(session: DbSession, user: User, endpoint: str) -> None:
    """Forget this browser; NotFound unless it is the user's."""
    subscription = session.scalar(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id
        )
    )
    if subscription is None:
        raise NotFound("This browser is not subscribed.")
    session.delete(subscription)
    session.flush()


def endpoints_by_user(
    session: DbSession, user_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[int, str, str, str]]]:
    """(id, endpoint, p256dh, auth) of each user's browsers; plain rows, for the sweep."""
    ids = list(set(user_ids))
    found: dict[uuid.UUID, list[tuple[int, str, str, str]]] = defaultdict(list)
    if ids:
        s = PushSubscription
        for user_id, *target in session.execute(
            select(s.user_id, s.id, s.endpoint, s.p256dh, s.auth).where(s.user_id.in_(ids))
        ):
            found[user_id].append((target[0], target[1], target[2], target[3]))
    return found


def subscriptions_by_user(
    session: DbSession, user_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[PushSubscription]]:
    ids = list(set(user_ids))
    found: dict[uuid.UUID, list[PushSubscription]] = defaultdict(list)
    if ids:
        for subscription in session.scalars(
            select(PushSubscription).where(PushSubscription.user_id.in_(ids))
        ):
            found[subscription.user_id].append(subscription)
    return found


def remove_subscriptions(session: DbSession, ids: Iterable[int]) -> int:
    """Drop subscriptions the push service called gone (404/410)."""
    ids = list(set(ids))
    if not ids:
        return 0
    session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))
    return len(ids)
