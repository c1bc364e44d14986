"""The bench database: created by the app's migrations, seeded with raw SQL, then kept.

Seeding ~730,000 entries takes about 15 s here. The database `diary_bench` is kept and
reused by later runs of the same day while its seed key (SEED_VERSION plus a hash of the
migration files) matches: the data always end yesterday, so every run of a day sees the same
rows, and the first run of a day seeds afresh. BENCH_RESEED=1 forces a fresh seed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import psycopg
from psycopg import sql

from bench.settings import BENCH_PASSWORD, PYTHON, ROOT, Settings

SEED_VERSION = 1
DOMAIN = "bench.example.org"
MAIN_EMAIL = f"bench-main@{DOMAIN}"
POSTER_EMAIL = f"bench-poster@{DOMAIN}"
CLINICIAN_EMAIL = f"bench-clinician@{DOMAIN}"
PATIENTS = 1000
SHARED_PATIENTS = 200
MAIN_YEARS = 5
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC")
REGIONS = ("front_head_right", "front_head_left", "front_chest_right", "front_chest_left")


class SeedError(RuntimeError):
    """The bench database could not be made ready."""


@dataclass
class Facts:
    """What the scenarios need to know about the seeded data."""

    main_id: str
    poster_id: str
    clinician_id: str
    shared_ids: list[str]
    first_day: str  # the main patient's first and last day of entries
    last_day: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class SeedInfo:
    reused: bool
    seed_seconds: float
    migrate_seconds: float
    reset_seconds: float
    facts: Facts
    parts: dict[str, str]  # part name -> state, e.g. care_links: "seeded" / "not built yet"


def seed_key() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"v{SEED_VERSION}-{digest.hexdigest()[:16]}"


def _admin(settings: Settings) -> psycopg.Connection[Any]:
    return psycopg.connect(settings.admin_dsn, autocommit=True)


def database_exists(settings: Settings) -> bool:
    with _admin(settings) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (settings.database,)
        ).fetchone()
    return row is not None


def recreate_database(settings: Settings) -> None:
    name = sql.Identifier(settings.database)
    with _admin(settings) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def ensure_marker_table(conn: psycopg.Connection[Any]) -> None:
    # Its own schema: Alembic only looks at public.
    conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS bench.seed (part text PRIMARY KEY, key text NOT NULL, "
        "seeded_at timestamptz NOT NULL DEFAULT now(), seconds double precision, facts jsonb)"
    )


def read_part(conn: psycopg.Connection[Any], part: str) -> tuple[str, Any, Any] | None:
    """(key, seeded_at, facts) of a seeded part, or None."""
    exists = conn.execute("SELECT to_regclass('bench.seed')").fetchone()
    if not exists or exists[0] is None:
        return None
    row = conn.execute(
        "SELECT key, seeded_at, facts FROM bench.seed WHERE part = %s", (part,)
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def write_part(
    conn: psycopg.Connection[Any], part: str, seconds: float, facts: dict[str, Any]
) -> None:
    conn.execute(
        "INSERT INTO bench.seed (part, key, seconds, facts) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (part) DO UPDATE SET key = EXCLUDED.key, seeded_at = now(), "
        "seconds = EXCLUDED.seconds, facts = EXCLUDED.facts",
        (part, seed_key(), seconds, json.dumps(facts)),
    )


def reusable_core(settings: Settings, today: date) -> Facts | None:
    """The seeded facts when the kept database can be used as it is."""
    if settings.reseed or not database_exists(settings):
        return None
    with psycopg.connect(settings.dsn()) as conn:
        found = read_part(conn, "core")
    if found is None:
        return None
    key, _seeded_at, facts = found
    if key != seed_key() or facts.get("last_day") != last_day(today).isoformat():
        return None
    return Facts(**facts)


def last_day(today: date) -> date:
    """The last day with entries: yesterday, so that nothing lies in the future."""
    return today - timedelta(days=1)


def migrate(app_env: dict[str, str]) -> float:
    """Build or update the schema with the app's own migrations; return the seconds."""
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 (fixed argv, our own interpreter)
        [PYTHON, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=app_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SeedError(f"flask db upgrade failed:\n{done.stdout}\n{done.stderr}")
    return time.monotonic() - started


def password_hash() -> str:
    """One argon2id hash at the production cost, shared by every bench account."""
    from diary.services.accounts import make_hasher

    return make_hasher(3, 65536).hash(BENCH_PASSWORD)


USERS = """
INSERT INTO users (id, email, password_hash, display_name, timezone, locale, created_at)
SELECT gen_random_uuid(), e.email, %(hash)s, e.name, 'Europe/Paris', 'en', now()
FROM (VALUES (%(main)s, 'Bench patient (5 years)'), (%(poster)s, 'Bench poster'),
             (%(clinician)s, 'Bench clinician')) AS e(email, name)
UNION ALL
SELECT gen_random_uuid(), format('bench-p%%s@{domain}', lpad(i::text, 4, '0')), %(hash)s,
       format('Bench patient %%s', i), (%(zones)s::text[])[1 + i %% 4], 'en', now()
FROM generate_series(1, %(patients)s) AS i
"""

# Slots at 08:00, 14:00 and 21:00 local time: all three for the main patient, one to
# three (two on average) for the others. A slow wave plus noise makes the numbers move.
ENTRIES = """
INSERT INTO pain_entries (id, patient_id, author_id, recorded_at, local_date, intensity,
    qualities, triggers, note, content_hash, version, created_at, updated_at)
SELECT gen_random_uuid(), u.id, u.id, r.at, r.day, r.level,
       (CASE WHEN random() < 0.5 THEN '["burning", "tingling"]' ELSE '[]' END)::json,
       '[]'::json,
       CASE WHEN random() < 0.1 THEN 'Slept badly; worse in the evening.' END,
       md5(random()::text) || md5(random()::text), 1, r.at, r.at
FROM users u
CROSS JOIN LATERAL (
    SELECT (d + s.slot) AT TIME ZONE u.timezone AS at, d::date AS day,
           least(10, greatest(0, round(
               5 + (abs(hashtext(u.email)::bigint) %% 5) - 2
               + 2 * sin(extract(epoch FROM d) / 864000.0) + random() * 4 - 2)))::int AS level
    FROM generate_series(%(first)s::timestamp, %(last)s::timestamp, interval '1 day') AS d
    CROSS JOIN unnest(ARRAY[interval '8 hours', interval '14 hours', interval '21 hours'])
        WITH ORDINALITY AS s(slot, k)
    WHERE %(every_slot)s OR s.k = 1 OR random() < 0.5
) AS r
WHERE u.email LIKE %(pattern)s
"""

LOCATIONS = """
INSERT INTO pain_entry_locations (entry_id, region, position, intensity, qualities)
SELECT e.id, (%(regions)s::text[])[1 + abs(hashtext(e.id::text)::bigint) %% %(n)s], 0, e.intensity,
       '[]'::json
FROM pain_entries e
"""


# The app keeps this roll-up in step on every write; raw inserts must fill it themselves.
ROLLUP = """
INSERT INTO pain_daily_stats
    (patient_id, local_date, entry_count, intensity_sum, intensity_min, intensity_max)
SELECT patient_id, local_date, count(*), sum(intensity), min(intensity), max(intensity)
FROM pain_entries WHERE deleted_at IS NULL
GROUP BY patient_id, local_date
"""


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
    return int(row[0]) if row else 0


def seed_core(settings: Settings, today: date) -> tuple[Facts, float]:
    """Users and entries, in one transaction that ends by writing the marker."""
    started = time.monotonic()
    last = last_day(today)
    main_first = last.replace(year=last.year - MAIN_YEARS) + timedelta(days=1)
    year_first = last.replace(year=last.year - 1) + timedelta(days=1)
    with psycopg.connect(settings.dsn()) as conn:
        # The rows are valid by construction: skip the per-row foreign-key triggers.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SELECT setseed(0.2026)")
        emails = {"main": MAIN_EMAIL, "poster": POSTER_EMAIL, "clinician": CLINICIAN_EMAIL}
        conn.execute(
            USERS.replace("{domain}", DOMAIN),
            {"hash": password_hash(), "zones": list(ZONES), "patients": PATIENTS, **emails},
        )
        for pattern, first, every_slot in (
            (MAIN_EMAIL, main_first, True),
            (f"bench-p%@{DOMAIN}", year_first, False),
        ):
            conn.execute(
                ENTRIES,
                {"first": first, "last": last, "every_slot": every_slot, "pattern": pattern},
            )
        conn.execute(LOCATIONS, {"regions": list(REGIONS), "n": len(REGIONS)})
        conn.execute(ROLLUP)
        ids: dict[str, str] = dict(conn.execute("SELECT email, id::text FROM users").fetchall())
        facts = Facts(
            main_id=ids[MAIN_EMAIL],
            poster_id=ids[POSTER_EMAIL],
            clinician_id=ids[CLINICIAN_EMAIL],
            shared_ids=[ids[f"bench-p{i:04d}@{DOMAIN}"] for i in range(1, SHARED_PATIENTS + 1)],
            first_day=main_first.isoformat(),
            last_day=last.isoformat(),
            counts={t: _count(conn, t) for t in ("users", "pain_entries", "pain_entry_locations")},
        )
        ensure_marker_table(conn)
        seconds = time.monotonic() - started
        write_part(conn, "core", seconds, asdict(facts))
    with psycopg.connect(settings.dsn(), autocommit=True) as conn:
        conn.execute("ANALYZE")
    return facts, time.monotonic() - started


def reset_run_state(settings: Settings, facts: Facts) -> float:
    """Undo what an earlier run wrote, so that every run starts from the same data."""
    started = time.monotonic()
    with psycopg.connect(settings.dsn(), autocommit=True) as conn:
        conn.execute("DELETE FROM pain_entries WHERE patient_id = %s", (facts.poster_id,))
        conn.execute("DELETE FROM pain_daily_stats WHERE patient_id = %s", (facts.poster_id,))
        conn.execute("DELETE FROM user_sessions")
        conn.execute(
            "VACUUM (ANALYZE) pain_entries, pain_entry_locations, pain_daily_stats, user_sessions"
        )
    return time.monotonic() - started


def prepare(settings: Settings, app_env: dict[str, str], today: date) -> SeedInfo:
    """Make the bench database ready: reuse it, or create, migrate and seed it."""
    facts = reusable_core(settings, today)
    reused = facts is not None
    seed_seconds = 0.0
    if facts is None:
        recreate_database(settings)
    migrate_seconds = migrate(app_env)
    if facts is None:
        facts, seed_seconds = seed_core(settings, today)
    reset_seconds = reset_run_state(settings, facts)
    return SeedInfo(reused, seed_seconds, migrate_seconds, reset_seconds, facts, {})
