"""The sweep: send what is due, record each firing once, move every schedule on.

Each batch is one transaction: claim due schedules (FOR UPDATE SKIP LOCKED on PostgreSQL,
so several sweeps share the work without overlap), insert their deliveries (the unique
(schedule, due time) key refuses a second firing), send, record, advance, commit.
"""

from __future__ import annotations

import logging
import time as clock
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Insert, select, update

from diary.database import DbSession
from diary.models import ReminderDelivery, ReminderSchedule, User
from diary.reminders.messages import snooze_token
from diary.reminders.schedule import next_fire_at
from diary.reminders.senders import Notice, Outcome, PushTarget, Sender
from diary.services import push as push_service
from diary.services import reminders as rules

log = logging.getLogger(__name__)

RETRY_DELAYS = (1, 2, 4, 8, 16, 32)  # minutes after the 1st, 2nd … failed attempt


@dataclass
class Dispatcher:
    """What a sweep needs besides the session: the senders, the secret, the timing."""

    senders: dict[str, Sender]
    secret: str
    grace: timedelta
    batch_size: int = 500


@dataclass
class SweepReport:
    now: datetime
    sent: int = 0
    nudged: int = 0
    skipped: int = 0
    missed: int = 0
    retrying: int = 0
    failed: int = 0
    retried: int = 0
    duplicates: int = 0
    removed_subscriptions: int = 0
    batches: int = 0
    seconds: float = 0.0
    sent_ids: list[uuid.UUID] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("sent_ids")
        data["now"] = self.now.isoformat()
        return data

    def summary(self) -> str:
        return (
            f"sweep at {self.now.isoformat()}: sent {self.sent} (nudges {self.nudged}), "
            f"skipped {self.skipped}, missed {self.missed}, retrying {self.retrying}, "
            f"failed {self.failed}, retried {self.retried}, "
            f"removed subscriptions {self.removed_subscriptions}, "
            f"in {self.batches} batches, {self.seconds:.2f} s"
        )


def sweep(session: DbSession, now: datetime, dispatcher: Dispatcher) -> SweepReport:
    """Run one sweep at `now`; commits once per batch."""
    started = clock.perf_counter()
    report = SweepReport(now=now)
    while _due_batch(session, now, dispatcher, report):
        report.batches += 1
    while _retry_batch(session, now, dispatcher, report):
        report.batches += 1
    report.seconds = clock.perf_counter() - started
    return report


def _insert_ignoring_duplicates(session: DbSession) -> Insert:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(ReminderDelivery).on_conflict_do_nothing(
            index_elements=["schedule_id", "due_at"]
        )
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(ReminderDelivery).on_conflict_do_nothing(
        index_elements=["schedule_id", "due_at"]
    )


def _notices(
    session: DbSession,
    rows: list[Any],
    delivery_of: dict[uuid.UUID, int],
    kinds: dict[uuid.UUID, str],
    secret: str,
    channels: dict[uuid.UUID, list[str]],
) -> dict[str, list[Notice]]:
    """Group what to send by channel."""
    by_channel: dict[str, list[Notice]] = {"push": [], "email": []}
    pushing = {row.user_id for row in rows if "push" in channels[row.id]}
    targets = push_service.subscriptions_by_user(session, pushing)
    for row in rows:
        notice = Notice(
            delivery_id=delivery_of[row.id],
            kind=kinds[row.id],
            email=row.email,
            targets=tuple(
                PushTarget(s.id, s.endpoint, s.p256dh, s.auth) for s in targets.get(row.user_id, [])
            ),
            snooze_token=snooze_token(secret, row.id),
        )
        for channel in channels[row.id]:
            by_channel.setdefault(channel, []).append(notice)
    return by_channel


def _send(
    dispatcher: Dispatcher, by_channel: dict[str, list[Notice]]
) -> dict[int, dict[str, Outcome]]:
    """Send every notice on its channels; outcomes by delivery id, then channel."""
    results: dict[int, dict[str, Outcome]] = {}
    for channel, notices in by_channel.items():
        if not notices:
            continue
        sender = dispatcher.senders.get(channel)
        if sender is None:
            outcomes = [Outcome(ok=False, detail=f"{channel}: no sender") for _ in notices]
        else:
            outcomes = sender.send(notices)
        for notice, outcome in zip(notices, outcomes, strict=True):
            results.setdefault(notice.delivery_id, {})[channel] = outcome
    return results


@dataclass
class _Result:
    status: str
    detail: str
    channels_sent: list[str]
    pending: list[str]


def _combine(outcomes: dict[str, Outcome]) -> _Result:
    ok = sorted(c for c, o in outcomes.items() if o.ok)
    pending = sorted(c for c, o in outcomes.items() if not o.ok and o.retry)
    detail = "; ".join(o.detail for o in outcomes.values() if o.detail)[:200]
    if pending:
        return _Result("retrying", detail, ok, pending)
    return _Result("sent" if ok else "skipped", detail, ok, [])


def _retry_at(due: datetime, now: datetime, attempts: int, grace: timedelta) -> datetime | None:
    """When to try again after `attempts` failures; None when it is time to give up."""
    if attempts > len(RETRY_DELAYS):
        return None
    when = now + timedelta(minutes=RETRY_DELAYS[attempts - 1])
    return when if when - due <= grace else None


def _apply_outcomes(
    session: DbSession,
    outcomes: dict[int, dict[str, Outcome]],
    report: SweepReport,
) -> None:
    gone = [i for per in outcomes.values() for o in per.values() for i in o.gone]
    used = [i for per in outcomes.values() for o in per.values() for i in o.delivered_to]
    report.removed_subscriptions += push_service.remove_subscriptions(session, gone)
    push_service.mark_used(session, used, report.now)


def _due_batch(session: DbSession, now: datetime, d: Dispatcher, report: SweepReport) -> bool:
    s = ReminderSchedule
    rows = session.execute(
        select(
            s.id,
            s.user_id,
            s.local_time,
            s.days,
            s.channels,
            s.next_fire_at,
            s.last_due_at,
            s.nudged_at,
            s.created_at,
            User.timezone,
            User.email,
        )
        .join(User, User.id == s.user_id)
        .where(s.enabled.is_(True), s.next_fire_at <= now)
        .order_by(s.next_fire_at)
        .limit(d.batch_size)
        .with_for_update(skip_locked=True, of=s)
    ).all()
    if not rows:
        session.commit()
        return False

    users = [row.user_id for row in rows]
    logged = rules.last_logged_at(session, users)
    nudged = rules.nudged_at_by_user(session, users)
    decisions: dict[uuid.UUID, rules.Decision] = {}
    for row in rows:
        decision = rules.decide(
            row.next_fire_at,
            now,
            grace=d.grace,
            previous_due=row.last_due_at,
            created_at=row.created_at,
            last_logged_at=logged.get(row.user_id),
            nudged_at=nudged.get(row.user_id),
        )
        if decision.kind == "nudge":
            nudged[row.user_id] = row.next_fire_at
        decisions[row.id] = decision

    inserted = session.execute(
        _insert_ignoring_duplicates(session).returning(
            ReminderDelivery.id, ReminderDelivery.schedule_id
        ),
        [
            {
                "schedule_id": row.id,
                "due_at": row.next_fire_at,
                "kind": decisions[row.id].kind,
                "status": "sent"
                if decisions[row.id].status == "send"
                else decisions[row.id].status,
                "detail": decisions[row.id].detail,
                "channels_sent": list(row.channels) if decisions[row.id].status == "send" else [],
                "pending_channels": [],
                "attempts": 1 if decisions[row.id].status == "send" else 0,
                "created_at": now,
                "sent_at": now if decisions[row.id].status == "send" else None,
            }
            for row in rows
        ],
    ).all()
    delivery_of = {schedule_id: delivery_id for delivery_id, schedule_id in inserted}
    report.duplicates += len(rows) - len(delivery_of)

    sending = [r for r in rows if r.id in delivery_of and decisions[r.id].status == "send"]
    for row in rows:
        if row.id in delivery_of and decisions[row.id].status != "send":
            setattr(report, decisions[row.id].status, getattr(report, decisions[row.id].status) + 1)
    by_channel = _notices(
        session,
        sending,
        delivery_of,
        {r.id: decisions[r.id].kind for r in sending},
        d.secret,
        {r.id: list(r.channels) for r in sending},
    )
    outcomes = _send(d, by_channel)
    _apply_outcomes(session, outcomes, report)

    changes = []
    for row in sending:
        delivery_id = delivery_of[row.id]
        result = _combine(outcomes.get(delivery_id, {}))
        if result.status == "sent":
            report.sent += 1
            report.sent_ids.append(row.id)
            report.nudged += decisions[row.id].kind == "nudge"
        elif result.status == "retrying":
            report.retrying += 1
        else:
            report.skipped += 1
        if (
            result.status == "sent"
            and result.channels_sent == sorted(row.channels)
            and not result.detail
        ):
            continue  # recorded as sent already
        changes.append(
            {
                "id": delivery_id,
                "status": result.status,
                "detail": result.detail,
                "channels_sent": result.channels_sent,
                "pending_channels": result.pending,
                "next_attempt_at": _retry_at(row.next_fire_at, now, 1, d.grace)
                if result.pending
                else None,
                "sent_at": now if result.channels_sent else None,
            }
        )
    if changes:
        session.execute(update(ReminderDelivery), changes)

    session.execute(
        update(ReminderSchedule),
        [
            {
                "id": row.id,
                "next_fire_at": next_fire_at(
                    row.local_time, row.days, row.timezone, row.next_fire_at
                ),
                "last_due_at": row.next_fire_at,
                "nudged_at": row.next_fire_at
                if decisions[row.id].kind == "nudge" and row.id in delivery_of
                else row.nudged_at,
            }
            for row in rows
        ],
    )
    for row in sending:
        if decisions[row.id].kind == "nudge":
            rules.notify_care_team_of_silence(session, row.user_id, row.created_at, now)
    session.commit()
    return True


def _retry_batch(session: DbSession, now: datetime, d: Dispatcher, report: SweepReport) -> bool:
    """Try again the channels that failed earlier, with backoff, never past the grace."""
    rd, s = ReminderDelivery, ReminderSchedule
    rows = session.execute(
        select(
            rd.id,
            rd.schedule_id,
            rd.due_at,
            rd.kind,
            rd.pending_channels,
            rd.channels_sent,
            rd.attempts,
            s.user_id,
            User.email,
        )
        .join(s, s.id == rd.schedule_id)
        .join(User, User.id == s.user_id)
        .where(rd.status == "retrying", rd.next_attempt_at <= now)
        .order_by(rd.next_attempt_at)
        .limit(d.batch_size)
        .with_for_update(skip_locked=True, of=rd)
    ).all()
    if not rows:
        session.commit()
        return False
    late = [row for row in rows if now - row.due_at > d.grace]
    trying = [row for row in rows if now - row.due_at <= d.grace]
    changes: list[dict[str, Any]] = [
        {
            "id": row.id,
            "status": "failed",
            "detail": "gave up: past the grace period",
            "channels_sent": list(row.channels_sent),
            "pending_channels": [],
            "attempts": row.attempts,
            "next_attempt_at": None,
            "sent_at": None,
        }
        for row in late
    ]
    report.failed += len(late)
    pushing = {row.user_id for row in trying if "push" in row.pending_channels}
    targets = push_service.subscriptions_by_user(session, pushing)
    by_channel: dict[str, list[Notice]] = {}
    for row in trying:
        notice = Notice(
            delivery_id=row.id,
            kind=row.kind,
            email=row.email,
            targets=tuple(
                PushTarget(t.id, t.endpoint, t.p256dh, t.auth) for t in targets.get(row.user_id, [])
            ),
            snooze_token=snooze_token(d.secret, row.schedule_id),
        )
        for channel in row.pending_channels:
            by_channel.setdefault(channel, []).append(notice)
    outcomes = _send(d, by_channel)
    _apply_outcomes(session, outcomes, report)
    for row in trying:
        report.retried += 1
        result = _combine(outcomes.get(row.id, {}))
        attempts = row.attempts + 1
        sent = sorted({*row.channels_sent, *result.channels_sent})
        retry_at = _retry_at(row.due_at, now, attempts, d.grace) if result.pending else None
        if result.pending and retry_at is None:
            status = "failed"
        elif result.pending:
            status = "retrying"
        else:
            status = "sent" if sent else "skipped"
        report.sent += status == "sent"
        report.failed += status == "failed"
        changes.append(
            {
                "id": row.id,
                "status": status,
                "detail": result.detail or "",
                "channels_sent": sent,
                "pending_channels": result.pending if retry_at else [],
                "attempts": attempts,
                "next_attempt_at": retry_at,
                "sent_at": now if result.channels_sent else None,
            }
        )
    session.execute(update(ReminderDelivery), changes)
    session.commit()
    return True
