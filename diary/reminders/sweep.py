"""The sweep: send what is due, record each firing once, move every schedule on.

Each batch is one transaction: claim due schedules (FOR UPDATE SKIP LOCKED on PostgreSQL,
so several sweeps share the work without overlap), insert their deliveries (the unique
(schedule, due time) key refuses a second firing), send, record, advance, commit.
"""

from __future__ import annotations

import logging
import time as clock
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from diary.database import DbSession
from diary.models import ReminderDelivery, ReminderSchedule, User
from diary.reminders.bulk import Advance, NewDelivery, advance_schedules, insert_deliveries
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

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "now": self.now.isoformat()}

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


@dataclass(frozen=True)
class _Job:
    """One delivery to attempt: which schedule, whose, on which channels."""

    delivery_id: int
    schedule_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    kind: str
    channels: Sequence[str]


def _send(
    session: DbSession, d: Dispatcher, jobs: list[_Job], report: SweepReport
) -> dict[int, dict[str, Outcome]]:
    """Send every job on its channels; drop the browsers that are gone; outcomes by delivery."""
    pushing = {job.user_id for job in jobs if "push" in job.channels}
    endpoints = push_service.endpoints_by_user(session, pushing)
    by_channel: dict[str, list[Notice]] = {}
    for job in jobs:
        notice = Notice(
            delivery_id=job.delivery_id,
            kind=job.kind,
            email=job.email,
            targets=tuple(PushTarget(*row) for row in endpoints.get(job.user_id, ())),
            snooze_token=snooze_token(d.secret, job.schedule_id),
        )
        for channel in job.channels:
            by_channel.setdefault(channel, []).append(notice)
    results: dict[int, dict[str, Outcome]] = {}
    for channel, notices in by_channel.items():
        sender = d.senders.get(channel)
        outcomes = (
            sender.send(notices)
            if sender is not None
            else [Outcome(ok=False, detail=f"{channel}: no sender") for _ in notices]
        )
        for notice, outcome in zip(notices, outcomes, strict=True):
            results.setdefault(notice.delivery_id, {})[channel] = outcome
    gone = [i for per in results.values() for o in per.values() for i in o.gone]
    report.removed_subscriptions += push_service.remove_subscriptions(session, gone)
    return results


@dataclass(frozen=True)
class _Result:
    status: str  # sent, retrying or skipped
    detail: str
    channels_sent: list[str]
    pending: list[str]


def _combine(outcomes: dict[str, Outcome], already_sent: Sequence[str] = ()) -> _Result:
    sent = sorted({*already_sent, *(c for c, o in outcomes.items() if o.ok)})
    pending = sorted(c for c, o in outcomes.items() if not o.ok and o.retry)
    detail = "; ".join(o.detail for o in outcomes.values() if o.detail)[:200]
    if pending:
        return _Result("retrying", detail, sent, pending)
    return _Result("sent" if sent else "skipped", detail, sent, [])


def _retry_at(due: datetime, now: datetime, attempts: int, grace: timedelta) -> datetime | None:
    """When to try again after `attempts` failures; None when it is time to give up."""
    if attempts > len(RETRY_DELAYS):
        return None
    when = now + timedelta(minutes=RETRY_DELAYS[attempts - 1])
    return when if when - due <= grace else None


def _record(session: DbSession, changes: list[dict[str, Any]]) -> None:
    if changes:
        session.execute(update(ReminderDelivery), changes)


def _change(
    delivery_id: int, result: _Result, attempts: int, retry_at: datetime | None, now: datetime
) -> dict[str, Any]:
    status = "failed" if result.pending and retry_at is None else result.status
    return {
        "id": delivery_id,
        "status": status,
        "detail": result.detail,
        "channels_sent": result.channels_sent,
        "pending_channels": result.pending if retry_at else [],
        "attempts": attempts,
        "next_attempt_at": retry_at,
        "sent_at": now if status == "sent" else None,
    }


def _due_batch(session: DbSession, now: datetime, d: Dispatcher, report: SweepReport) -> bool:
    s = ReminderSchedule
    rows = session.execute(
        select(
            s.id, s.user_id, s.local_time, s.days, s.channels, s.next_fire_at, s.last_due_at,
            s.nudged_at, s.created_at, User.timezone, User.email,
        )
        .join(User, User.id == s.user_id)
        .where(s.enabled.is_(True), s.next_fire_at <= now)
        .order_by(s.next_fire_at)
        .limit(d.batch_size)
        .with_for_update(skip_locked=True, of=s)
    ).all()  # fmt: skip
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

    def recorded(row: Any) -> NewDelivery:
        decision = decisions[row.id]
        sending = decision.status == "send"
        return NewDelivery(
            row.id,
            row.next_fire_at,
            decision.kind,
            "sent" if sending else decision.status,  # what sending will be, unless it fails
            decision.detail,
            sorted(row.channels) if sending else [],
        )

    delivery_of = insert_deliveries(session, [recorded(row) for row in rows], now)
    report.duplicates += len(rows) - len(delivery_of)
    jobs = []
    for row in rows:
        if row.id not in delivery_of:
            continue
        decision = decisions[row.id]
        if decision.status != "send":
            setattr(report, decision.status, getattr(report, decision.status) + 1)
            continue
        jobs.append(
            _Job(delivery_of[row.id], row.id, row.user_id, row.email, decision.kind, row.channels)
        )

    outcomes = _send(session, d, jobs, report)
    due_of = {row.id: row.next_fire_at for row in rows}
    changes = []
    for job in jobs:
        result = _combine(outcomes.get(job.delivery_id, {}))
        report.sent += result.status == "sent"
        report.nudged += result.status == "sent" and job.kind == "nudge"
        report.retrying += result.status == "retrying"
        report.skipped += result.status == "skipped"
        if result.status == "sent" and result.channels_sent == sorted(job.channels):
            continue  # recorded as sent already
        retry_at = _retry_at(due_of[job.schedule_id], now, 1, d.grace) if result.pending else None
        changes.append(_change(job.delivery_id, result, 1, retry_at, now))
    _record(session, changes)

    nudges = {job.schedule_id for job in jobs if job.kind == "nudge"}
    advance_schedules(
        session,
        [
            Advance(
                row.id,
                next_fire_at(row.local_time, row.days, row.timezone, row.next_fire_at),
                row.next_fire_at,
                row.next_fire_at if row.id in nudges else row.nudged_at,
            )
            for row in rows
        ],
    )
    for job in jobs:
        if job.kind == "nudge":
            rules.notify_care_team_of_silence(session, job.user_id, now)
    session.commit()
    return True


def _retry_batch(session: DbSession, now: datetime, d: Dispatcher, report: SweepReport) -> bool:
    """Try again the channels that failed earlier, with backoff, never past the grace."""
    rd, s = ReminderDelivery, ReminderSchedule
    rows = session.execute(
        select(
            rd.id, rd.schedule_id, rd.due_at, rd.kind, rd.pending_channels, rd.channels_sent,
            rd.attempts, s.user_id, User.email,
        )
        .join(s, s.id == rd.schedule_id)
        .join(User, User.id == s.user_id)
        .where(rd.status == "retrying", rd.next_attempt_at <= now)
        .order_by(rd.next_attempt_at)
        .limit(d.batch_size)
        .with_for_update(skip_locked=True, of=rd)
    ).all()  # fmt: skip
    if not rows:
        session.commit()
        return False
    changes = []
    trying = []
    for row in rows:
        if now - row.due_at > d.grace:
            late = _Result("failed", "gave up: past the grace period", row.channels_sent, [])
            changes.append(_change(row.id, late, row.attempts, None, now))
            report.failed += 1
        else:
            trying.append(row)
    jobs = [
        _Job(r.id, r.schedule_id, r.user_id, r.email, r.kind, r.pending_channels) for r in trying
    ]
    outcomes = _send(session, d, jobs, report)
    for row in trying:
        report.retried += 1
        result = _combine(outcomes.get(row.id, {}), row.channels_sent)
        attempts = row.attempts + 1
        retry_at = _retry_at(row.due_at, now, attempts, d.grace) if result.pending else None
        change = _change(row.id, result, attempts, retry_at, now)
        report.sent += change["status"] == "sent"
        report.failed += change["status"] == "failed"
        changes.append(change)
    _record(session, changes)
    session.commit()
    return True
