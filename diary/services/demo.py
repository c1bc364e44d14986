"""The demo diary that `make run` seeds into an empty database."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import func, select

from diary.database import DbSession
from diary.models import PainEntry, User
from diary.services import accounts as accounts_service
from diary.services import entries as entries_service
from diary.services import reminders as reminders_service

DEMO_TIMEZONE = "Europe/Berlin"
DEMO_DAYS = 182
# Central post-stroke pain on the right side: the places and feelings that come back.
USUAL_REGIONS = (
    "front_hand_right",
    "front_forearm_right",
    "front_upper_arm_right",
    "front_shoulder_right",
    "front_thigh_right",
    "front_foot_right",
)
USUAL_QUALITIES = (
    "burning",
    "pins_and_needles",
    "brushing_evoked",
    "cold_evoked",
    "electric_shock",
)
NOTES = (
    "Cold morning, the hand burned more.",
    "Short walk with Sam. Foot tingling after.",
    "Slept badly; shower water felt like needles on the arm.",
    "Good day. Physio exercises done.",
    "Shocks in the hand during the evening, about every few minutes.",
    "Wore the soft glove, touch was easier to bear.",
    "Busy day, sat a lot, thigh ached by the evening.",
)


def _intensity(rng: random.Random, day: int, hour: int) -> int:
    """A plausible score: a slow drift, worse evenings, worse in cold weeks, some noise."""
    base = 5.5 + 1.2 * ((day // 21) % 2) - 0.6 * (day / DEMO_DAYS)
    evening = 0.8 if hour >= 18 else 0.0
    return max(0, min(10, round(base + evening + rng.gauss(0, 1.1))))


def seed(
    session: DbSession, hasher: PasswordHasher, email: str, password: str, now: datetime
) -> User:
    """Create (or reuse) the demo patient: six months of diary and a daily 20:00 reminder."""
    user = accounts_service.find_by_email(session, email)
    if user is None:
        user = accounts_service.register(
            session,
            hasher,
            accounts_service.NewUser(email, password, "Alex (demo)", DEMO_TIMEZONE),
        )
    has_entries = session.scalar(
        select(func.count()).select_from(PainEntry).where(PainEntry.patient_id == user.id)
    )
    if not has_entries:
        _seed_entries(session, user, now)
    reminders_service.ensure_demo_reminder(session, user, now)
    return user


def _seed_entries(session: DbSession, user: User, now: datetime) -> None:
    rng = random.Random(2026)  # noqa: S311 -- a repeatable demo, not a secret
    zone = ZoneInfo(user.timezone)
    today = now.astimezone(zone).date()
    for day in range(DEMO_DAYS):
        date = today - timedelta(days=DEMO_DAYS - day)
        if rng.random() < 0.08:
            continue  # a missed day, as in any real diary
        for hour in sorted(rng.sample([8, 13, 19, 21], k=rng.choice([1, 2, 2, 3]))):
            recorded_at = datetime.combine(date, time(hour, rng.randrange(60)), zone)
            score = _intensity(rng, day, hour)
            regions = rng.sample(USUAL_REGIONS[:4], k=rng.randint(1, 3))
            if rng.random() < 0.4:
                regions.append(rng.choice(USUAL_REGIONS[4:]))
            data = {
                "recorded_at": recorded_at,
                "intensity": score,
                "qualities": rng.sample(USUAL_QUALITIES, k=rng.randint(1, 3)),
                "locations": [
                    {"region": code, "intensity": min(10, score + rng.choice([-1, 0, 0, 1]))}
                    for code in regions
                ],
                "sleep_quality": rng.randint(2, 8) if hour == 8 else None,
                "note": rng.choice(NOTES) if rng.random() < 0.15 else None,
            }
            entries_service.create_entry(session, user, user, data, now)
