"""Pain Diary: the application factory, built from short register_* steps."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from diary.compression import register_compression
from diary.config import load_config
from diary.errors import register_errorhandlers
from diary.extensions import csrf, db, limiter, migrate
from diary.http import register_body_limits
from diary.logs import register_logging
from diary.security import register_security_headers

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides what the environment says (tests use it)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_dotenv_in_development()
    app.config.update(load_config(Path(app.instance_path), env=_env_with(config)))
    app.config.update(config or {})
    register_logging(app)
    register_extensions(app)
    register_body_limits(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_compression(app)
    register_commands(app)
    register_template_filters(app)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    return app


# Overrides that decide which checks load_config() runs must be seen before it runs.
_EARLY_SETTINGS = ("DIARY_ENV", "SECRET_KEY", "DATABASE_URL")


def _env_with(config: dict[str, Any] | None) -> dict[str, str]:
    early = {k: str(v) for k, v in (config or {}).items() if k in _EARLY_SETTINGS}
    return {**os.environ, **early}


def load_dotenv_in_development() -> None:
    """Read .env when there is one (never overriding the real environment)."""
    from dotenv import load_dotenv

    load_dotenv(ROOT / ".env", override=False)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        # We issue BEGIN ourselves (below): pysqlite's own breaks savepoints.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock up front: a read-then-write transaction in WAL mode would
    # otherwise fail with "database is locked" when another writer got there first.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    from diary.accounts.auth import register_auth

    register_auth(app)
    from diary.care_team.reach import register_audit_commit

    register_audit_commit(app)


def register_blueprints(app: Flask) -> None:
    from diary.accounts import api as accounts_api
    from diary.accounts import views as accounts_views
    from diary.care_team import api as care_team_api
    from diary.care_team import views as care_team_views
    from diary.entries import api as entries_api
    from diary.entries import views as entries_views
    from diary.exports import api as exports_api
    from diary.exports import views as exports_views
    from diary.main import views as main_views
    from diary.openapi import bp as openapi_bp
    from diary.pwa import views as pwa_views
    from diary.questionnaires import api as questionnaires_api
    from diary.questionnaires import views as questionnaires_views
    from diary.reminders import api as reminders_api
    from diary.reminders import views as reminders_views
    from diary.reports import api as reports_api
    from diary.reports import views as reports_views
    from diary.settings import views as settings_views
    from diary.treatments import api as treatments_api
    from diary.treatments import views as treatments_views
    from diary.trends import api as trends_api
    from diary.trends import views as trends_views

    for blueprint in (
        main_views.bp,
        accounts_views.bp,
        accounts_api.bp,
        entries_api.bp,
        entries_views.bp,
        trends_api.bp,
        trends_views.bp,
        care_team_api.bp,
        care_team_views.bp,
        treatments_api.bp,
        treatments_views.bp,
        questionnaires_api.bp,
        questionnaires_views.bp,
        settings_views.bp,
        pwa_views.bp,
        reminders_api.bp,
        reminders_views.bp,
        exports_api.bp,
        exports_views.bp,
        reports_api.bp,
        reports_views.bp,
        openapi_bp,
    ):
        app.register_blueprint(blueprint)


def register_template_filters(app: Flask) -> None:
    from diary.templating import localtime

    app.add_template_filter(localtime)


def register_commands(app: Flask) -> None:
    from diary.cli import register_cli

    register_cli(app)
