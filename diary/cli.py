"""flask commands: seed-demo, create-user (and reminders, push, serve from diary.reminders)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from diary.accounts.auth import password_hasher
from diary.database import utcnow
from diary.errors import Conflict
from diary.extensions import db
from diary.models import User
from diary.schemas.common import known_timezones
from diary.services import accounts as accounts_service
from diary.services import audit as audit_service
from diary.services import demo as demo_service


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users.")
def seed_demo(if_empty: bool) -> None:
    """Create the demo patient and their diary."""
    config = current_app.config
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has accounts; the demo was not seeded again.")
        return
    user = demo_service.seed(
        db.session, password_hasher(), config["DEMO_EMAIL"], config["DEMO_PASSWORD"], utcnow()
    )
    db.session.commit()
    click.echo(f"Demo diary ready. Sign in as {user.email} with {config['DEMO_PASSWORD']!r}.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--timezone", default="UTC", show_default=True)
@click.password_option()
def create_user(email: str, display_name: str, timezone: str, password: str) -> None:
    """Create an account from the command line."""
    if timezone not in known_timezones():
        raise click.BadParameter("not a known IANA time zone", param_hint="--timezone")
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    try:
        user = accounts_service.register(
            db.session,
            password_hasher(),
            accounts_service.NewUser(email, password, display_name, timezone),
        )
    except Conflict as error:
        raise click.ClickException(error.detail) from error
    db.session.commit()
    click.echo(f"Created {user.email}.")


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; name the first altered row."""
    verdict = audit_service.verify(db.session)
    if verdict.first_bad_id is None:
        click.echo(f"The audit trail is intact: {verdict.checked} events checked.")
        return
    click.echo(
        f"The audit trail was altered: event {verdict.first_bad_id} does not follow from the "
        f"events before it ({verdict.checked} checked before it). It, or a row just before "
        "it, was changed or removed.",
        err=True,
    )
    raise SystemExit(1)


def register_cli(app: Flask) -> None:
    from diary.backup import register_backup_cli
    from diary.exports.cli import import_csv
    from diary.reminders.cli import register_reminders_cli

    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(audit_cli)
    app.cli.add_command(import_csv)
    register_reminders_cli(app)
    register_backup_cli(app)
