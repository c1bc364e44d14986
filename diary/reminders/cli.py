"""flask reminders run|dispatch|bench, flask push keys, and flask serve (the dev server + sweep)."""

from __future__ import annotations

import json
import logging
import signal
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from diary.reminders.scheduler import build_scheduler, run_sweep, vapid_for
from diary.reminders.vapid import public_key_of

reminders_cli = AppGroup("reminders", help="Send reminders: the sweep and its tools.")
push_cli = AppGroup("push", help="Web Push settings.")


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("use ISO 8601, e.g. 2026-03-29T20:00:00+02:00") from error
    if moment.tzinfo is None:
        raise click.BadParameter("add the offset, e.g. +02:00 or Z")
    return moment.astimezone(UTC)


@reminders_cli.command("run")
def run() -> None:
    """Run the sweep every REMINDER_SWEEP_SECONDS until stopped (its own process)."""
    app = _app()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line every minute
    click.echo(f"Reminder sweep every {app.config['REMINDER_SWEEP_SECONDS']} s; stop with Ctrl+C.")
    scheduler = build_scheduler(app, background=False)
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        if scheduler.running:
            scheduler.shutdown(wait=True)  # a sweep under way finishes its batch first
        click.echo("Stopped.")


def _exit_on_term(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


@reminders_cli.command("dispatch")
@click.option("--now", "now_text", help="Sweep as if it were this moment (ISO 8601).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def dispatch(now_text: str | None, as_json: bool) -> None:
    """Run one sweep now (or at --now) and print what it did."""
    report = run_sweep(_app(), _parse_now(now_text))
    click.echo(json.dumps(report.as_dict()) if as_json else report.summary())


@reminders_cli.command("bench")
@click.option("--count", default=100_000, show_default=True, help="Schedules due at once.")
@click.option("--keep", is_flag=True, help="Keep the seeded rows afterwards.")
def bench(count: int, keep: bool) -> None:
    """Time one sweep of COUNT due schedules against a local push endpoint."""
    from diary.reminders.benchmark import bench_sweep

    figures = bench_sweep(_app(), count, keep=keep)
    click.echo(json.dumps(figures, indent=2))


@push_cli.command("keys")
def keys() -> None:
    """Print the VAPID public key (made in the instance folder on first use)."""
    click.echo(public_key_of(vapid_for(_app())))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the app and run the reminder sweep in this one process (development)."""
    from werkzeug.serving import run_simple

    app = _app()
    scheduler = build_scheduler(app, background=True)
    scheduler.start()
    try:
        run_simple(host, port, app, threaded=True)
    finally:
        scheduler.shutdown(wait=False)


def register_reminders_cli(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
    app.cli.add_command(push_cli)
    app.cli.add_command(serve)
