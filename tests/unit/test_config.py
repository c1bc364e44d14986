"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.config import ConfigError, load_config, normalise_database_url


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, env={})


def test_production_cookie_is_secure(tmp_path: Path) -> None:
    config = load_config(tmp_path, env={"SECRET_KEY": "x" * 40})

    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_makes_and_keeps_a_secret(tmp_path: Path) -> None:
    first = load_config(tmp_path, env={"DIARY_ENV": "development"})
    second = load_config(tmp_path, env={"DIARY_ENV": "development"})

    assert len(first["SECRET_KEY"]) > 40
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["SESSION_COOKIE_SECURE"] is False


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    config = load_config(tmp_path, env={"DIARY_ENV": "development"})

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'diary.sqlite3'}"


@pytest.mark.parametrize(
    "url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg2://u@h/db"]
)
def test_postgres_urls_use_psycopg3(url: str) -> None:
    assert normalise_database_url(url) == "postgresql+psycopg://u@h/db"


def test_bad_numbers_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PORT"):
        load_config(tmp_path, env={"DIARY_ENV": "development", "PORT": "eighty"})


def test_unknown_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DIARY_ENV"):
        load_config(tmp_path, env={"DIARY_ENV": "staging"})
