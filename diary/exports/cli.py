"""flask import-csv: bring a CSV into someone's diary from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from diary.database import utcnow
from diary.errors import ValidationFailed
from diary.extensions import db
from diary.services import accounts as accounts_service
from diary.services import imports as imports_service


def _mapping(maps: tuple[str, ...], date_order: str) -> imports_service.ColumnMapping | None:
    if not maps:
        return None
    columns = {}
    for pair in maps:
        name, sep, column = pair.partition("=")
        if not sep or name.strip() not in imports_service.MAPPABLE:
            known = ", ".join(imports_service.MAPPABLE)
            raise click.BadParameter(
                f"use FIELD=COLUMN with FIELD one of {known}", param_hint="--map"
            )
        columns[name.strip()] = column.strip()
    return imports_service.ColumnMapping(columns, date_order)


def _reasons(error: ValidationFailed) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in error.errors.items())


@click.command("import-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--email", required=True, help="Whose diary the entries go into.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="For another app's export: which column holds a field (repeat), e.g. "
    "--map intensity='Pain level' --map date=Date --map time=Time --map note=Notes.",
)
@click.option(
    "--date-order",
    type=click.Choice(list(imports_service.DATE_ORDERS)),
    default="ymd",
    show_default=True,
    help="How another app writes its dates.",
)
@with_appcontext
def import_csv(file: Path, email: str, maps: tuple[str, ...], date_order: str) -> None:
    """Import FILE (a Pain Diary CSV export, or another app's with --map) into a diary.

    Safe to run again: rows already imported are skipped. Invalid rows are listed by line
    and the valid ones kept; the exit status is 1 when any row was invalid.
    """
    patient = accounts_service.find_by_email(db.session, email)
    if patient is None:
        raise click.ClickException(f"There is no account with the e-mail address {email}.")
    now = utcnow()
    try:
        table = imports_service.read_table(imports_service.decode(file.read_bytes()))
        rows = imports_service.parse_rows(table, patient, now, _mapping(maps, date_order))
    except ValidationFailed as error:
        raise click.ClickException(_reasons(error)) from error
    with click.progressbar(length=len(rows), label=f"Importing {file.name}") as bar:
        summary = imports_service.import_rows(db.session, patient, patient, rows, now, bar.update)
    db.session.commit()
    click.echo(
        f"{summary.kept} kept, {summary.duplicates} already in the diary (skipped), "
        f"{len(summary.invalid)} invalid, of {summary.rows} rows."
    )
    if summary.medications_added:
        click.echo("Medications added: " + ", ".join(summary.medications_added))
    for problem in summary.invalid:
        click.echo(f"line {problem.line}: {'; '.join(problem.reasons)}", err=True)
    if summary.invalid:
        raise SystemExit(1)
