"""Where the sweep runs: APScheduler 3 in one process, never inside web workers.

`flask reminders run` runs it as its own process (production, beside gunicorn);
`flask serve` (what `make run` uses) runs it in the development server's single process.
create_app() never starts it: each gunicorn worker would send every reminder again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from py_vapid import Vapid

from diary.database import utcnow
from diary.extensions import db
from diary.reminders.senders import EmailSender, Sender, WebPushSender
from diary.reminders.sweep import Dispatcher, SweepReport, sweep
from diary.reminders.vapid import load_vapid

log = logging.getLogger(__name__)

JOB_ID = "reminder-sweep"


def vapid_for(app: Flask) -> Vapid:
    """The app's VAPID key (configured, or made once in the instance folder)."""
    vapid: Vapid | None = app.extensions.get("diary.vapid")
    if vapid is None:
        vapid = load_vapid(
            app.config["VAPID_PRIVATE_KEY"],
            app.config["VAPID_PUBLIC_KEY"],
            Path(app.instance_path),
        )
        app.extensions["diary.vapid"] = vapid
    return vapid


def dispatcher_for(app: Flask) -> Dispatcher:
    """The senders and settings a sweep uses, built once per app (the pool is reused)."""
    dispatcher: Dispatcher | None = app.extensions.get("diary.dispatcher")
    if dispatcher is None:
        config = app.config
        senders: dict[str, Sender] = {
            "push": WebPushSender(vapid_for(app), config["VAPID_SUBJECT"], config["PUSH_WORKERS"]),
            "email": EmailSender(config["SMTP_URL"], config["MAIL_FROM"], config["PUBLIC_URL"]),
        }
        dispatcher = Dispatcher(
            senders=senders,
            secret=config["SECRET_KEY"],
            grace=timedelta(minutes=config["REMINDER_GRACE_MINUTES"]),
            batch_size=config["REMINDER_BATCH_SIZE"],
        )
        app.extensions["diary.dispatcher"] = dispatcher
    return dispatcher


def run_sweep(app: Flask, now: datetime | None = None) -> SweepReport:
    """One sweep inside an app context, with its own database session."""
    with app.app_context():
        try:
            return sweep(db.session, now or utcnow(), dispatcher_for(app))
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def _job(app: Flask) -> None:
    try:
        report = run_sweep(app)
    except Exception:
        log.exception("the reminder sweep failed; the next one will try again")
        return
    if report.batches:
        log.info(report.summary())


def build_scheduler(app: Flask, *, background: bool) -> BaseScheduler:
    """A scheduler with the one sweep job: every REMINDER_SWEEP_SECONDS, on the minute."""
    seconds = app.config["REMINDER_SWEEP_SECONDS"]
    scheduler: BaseScheduler = (
        BackgroundScheduler(timezone=UTC) if background else BlockingScheduler(timezone=UTC)
    )
    now = datetime.now(UTC)
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    scheduler.add_job(
        _job,
        IntervalTrigger(seconds=seconds, start_date=start, timezone=UTC),
        args=[app],
        id=JOB_ID,
        # A sweep that could not start on time is dropped: the next one sends what is due.
        misfire_grace_time=seconds,
        coalesce=True,
        max_instances=1,
        next_run_time=now,
    )
    return scheduler
