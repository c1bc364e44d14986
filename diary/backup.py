"""`flask backup PATH` and `flask restore PATH`: the whole database, online, with progress.

SQLite is copied page by page with its online backup API (writers carry on meanwhile);
PostgreSQL is dumped with pg_dump in its custom format and read back with pg_restore, both
of the server's own major version when it is installed (/usr/lib/postgresql/<major>/bin).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Engine, make_url

from diary.extensions import db

Progress = Callable[[str], None]
SQLITE_PAGES_PER_STEP = 256
PG_BIN_ROOT = Path("/usr/lib/postgresql")


class BackupError(click.ClickException):
    """A backup or restore that could not be done; the message says why."""


def _sqlite_file(engine: Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:":
        raise BackupError("This SQLite database lives in memory; there is no file to copy.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path, progress: Progress) -> None:
    """Copy one SQLite database into another with the online backup API."""

    def report(_status: int, remaining: int, total: int) -> None:
        done = total - remaining
        progress(f"  {done}/{total} pages ({100 * done // max(total, 1)} %)")

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.execute("PRAGMA busy_timeout=15000")
        src.backup(dst, pages=SQLITE_PAGES_PER_STEP, progress=report)
    # The context managers commit; close explicitly (they do not).
    src.close()
    dst.close()


def _libpq_url(engine: Engine) -> str:
    """The engine's URL as libpq reads it (no +psycopg driver name)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(engine: Engine, tool: str) -> str:
    """pg_dump or pg_restore of the server's major version, else the one on PATH."""
    with engine.connect() as conn:
        major = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    candidate = PG_BIN_ROOT / str(major) / "bin" / tool
    if candidate.exists():
        return str(candidate)
    found = shutil.which(tool)
    if found is None:
        raise BackupError(f"{tool} is not installed (install postgresql-client-{major}).")
    return found


def _run(argv: list[str], progress: Progress, pattern: re.Pattern[str] | None = None) -> None:
    """Run a PostgreSQL tool; echo what it reports (matching `pattern`) as progress."""
    problems: list[str] = []
    with subprocess.Popen(  # noqa: S603 (argv built here, no shell)
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        for line in process.stderr or ():
            match = pattern.search(line) if pattern else None
            if match:
                progress(f"  {match.group(1)}")
            elif "error" in line.lower() or "fatal" in line.lower():
                problems.append(line.strip())
    if process.returncode != 0:
        detail = "; ".join(problems[-3:]) or f"exit status {process.returncode}"
        raise BackupError(f"{Path(argv[0]).name} failed: {detail}")


def backup(engine: Engine, path: Path, progress: Progress) -> None:
    """Write the whole database to `path` (which must not exist yet)."""
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new name or remove it first.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(_sqlite_file(engine), partial, progress)
        else:
            argv = [_pg_tool(engine, "pg_dump"), "--format=custom", "--verbose"]
            argv += ["--no-owner", "--no-privileges", f"--file={partial}", _libpq_url(engine)]
            _run(argv, progress, re.compile(r"dumping contents of table \"?([\w.\"]+)"))
        partial.chmod(0o600)  # a diary is health data
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per application table (tables the models know, where they exist)."""
    present = set(inspect(engine).get_table_names())
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in present:
                counts[table.name] = conn.execute(
                    select(func.count()).select_from(table)
                ).scalar_one()
    return counts


def restore(engine: Engine, path: Path, progress: Progress, *, force: bool = False) -> None:
    """Replace the database with the backup at `path`; refuse a non-empty one unless `force`."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    rows = sum(row_counts(engine).values())
    if rows and not force:
        raise BackupError(
            f"The database is not empty ({rows} rows). Restore into an empty database, "
            "or pass --force to replace everything in it."
        )
    engine.dispose()  # our own pooled connections must not hold the old data open
    if engine.dialect.name == "sqlite":
        with path.open("rb") as backup_file:
            if backup_file.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{path} is not an SQLite backup.")
        _sqlite_copy(path, _sqlite_file(engine), progress)
        return
    argv = [_pg_tool(engine, "pg_restore"), "--verbose", "--clean", "--if-exists"]
    argv += ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    argv += [f"--dbname={_libpq_url(engine)}", str(path)]
    _run(argv, progress, re.compile(r"processing data for table \"?([\w.\"]+)"))


def _database_name(engine: Engine) -> str:
    url = make_url(str(engine.url))
    return f"{url.get_backend_name()} database {url.database}"


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write the whole database to PATH (SQLite: a database file; PostgreSQL: pg_dump -Fc)."""
    engine = db.engine
    click.echo(f"Backing up the {_database_name(engine)} to {path} …")
    backup(engine, path, click.echo)
    size = path.stat().st_size
    click.echo(f"Backup written: {path} ({size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Replace a database that already has rows.")
@with_appcontext
def restore_command(path: Path, yes: bool, force: bool) -> None:
    """Restore the backup at PATH into the configured database."""
    engine = db.engine
    if not yes:
        click.confirm(
            f"Restore {path} into the {_database_name(engine)}? Everything in it is replaced.",
            abort=True,
        )
    click.echo(f"Restoring {path} into the {_database_name(engine)} …")
    restore(engine, path, click.echo, force=force)
    counts = row_counts(engine)
    click.echo(
        f"Restored {sum(counts.values()):,} rows in {len(counts)} tables: "
        + ", ".join(f"{table} {n:,}" for table, n in counts.items() if n)
    )


def register_backup_cli(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
