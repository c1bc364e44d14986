"""The demo diary that `make run` seeds into an empty database."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import func, select

from diary.database import DbSession
from diary.models import Medication, PainEntry, QuestionnaireResponse, Treatment, User
from diary.services import accounts as accounts_service
from diary.services import entries as entries_service
from diary.services import medications as medications_service
from diary.services import questionnaires as questionnaires_service
from diary.services import reminders as reminders_service
from diary.services import treatments as treatments_service

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


# Ketamine boosters: (demo day, days of full relief, side effects). Relief fades over a week.
INFUSIONS = (
    (40, 20, [{"code": "dissociation", "severity": 2}, {"code": "nausea", "severity": 1}]),
    (96, 26, [{"code": "dissociation", "severity": 1}, {"code": "dizziness", "severity": 1}]),
    (160, 14, [{"code": "dissociation", "severity": 1}, {"code": "headache", "severity": 1}]),
)
MEDICATIONS = (
    ("Pregabalin", "150 mg", "morning and evening"),
    ("Amitriptyline", "25 mg", "at night"),
    ("Paracetamol", "1 g", "when needed"),
)


def _relief(day: int) -> float:
    """How much of the pain an infusion takes away on a demo day (0 none, 0.55 most)."""
    for start, full, _effects in INFUSIONS:
        after = day - start
        if 1 <= after <= full:
            return 0.35 if after == 1 else 0.55
        if full < after <= full + 7:
            return 0.55 * (full + 7 - after) / 7
    return 0.0


def _intensity(rng: random.Random, day: int, hour: int) -> int:
    """A plausible score: a slow drift, worse evenings, worse in cold weeks, some noise."""
    base = 5.5 + 1.2 * ((day // 21) % 2) - 0.6 * (day / DEMO_DAYS)
    evening = 0.8 if hour >= 18 else 0.0
    value = (base + evening) * (1 - _relief(day)) + rng.gauss(0, 1.1)
    return max(0, min(10, round(value)))


def _checkin(rng: random.Random, day: int) -> dict[str, object] | None:
    """The safety check-in answers in the week after an infusion."""
    for start, _full, _effects in INFUSIONS:
        after = day - start
        if 0 <= after <= 7:
            return {
                "dissociation": 1 if after <= 1 else 0,
                "nausea": rng.choice([0, 0, 1]),
                "sleep": rng.choice([0, 1, 1, 2]),
                "urinary": False,
            }
    return None


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
    medications = medications_service.list_medications(session, user)
    if not _has(session, Medication, user):
        medications = [
            medications_service.create_medication(
                session, user, {"name": name, "dose": dose, "schedule": schedule}, now
            )
            for name, dose, schedule in MEDICATIONS
        ]
    if not _has(session, PainEntry, user):
        _seed_entries(session, user, now, {m.name: str(m.id) for m in medications})
    if not _has(session, Treatment, user):
        _seed_treatments(session, user, now)
    if not _has(session, QuestionnaireResponse, user):
        _seed_questionnaires(session, user, now)
    reminders_service.ensure_demo_reminder(session, user, now)
    return user


def _has(session: DbSession, model: type[Any], user: User) -> bool:
    query = select(func.count()).select_from(model).where(model.patient_id == user.id)
    return bool(session.scalar(query))


def _demo_day(user: User, now: datetime, day: int, hour: int) -> datetime:
    zone = ZoneInfo(user.timezone)
    date = now.astimezone(zone).date() - timedelta(days=DEMO_DAYS - day)
    return datetime.combine(date, time(hour), zone)


def _taken(rng: random.Random, medications: dict[str, str], hour: int) -> list[str]:
    """Pregabalin morning and evening, amitriptyline at night, paracetamol now and then."""
    names = ["Pregabalin"] if hour in (8, 19, 21) else []
    if hour == 21:
        names.append("Amitriptyline")
    if rng.random() < 0.1:
        names.append("Paracetamol")
    return [medications[name] for name in names if name in medications]


def _seed_treatments(session: DbSession, user: User, now: datetime) -> None:
    for number, (day, _full, effects) in enumerate(INFUSIONS, start=1):
        started = _demo_day(user, now, day, 9)
        data = {
            "kind": "ketamine_infusion",
            "started_at": started,
            "ended_at": started + timedelta(hours=4),
            "dose": 0.5,
            "dose_unit": "mg/kg/h",
            "setting": "day_case",
            "series_phase": "booster",
            "series_number": number,
            "adjuvants": ["midazolam 1 mg", "ondansetron 4 mg"],
            "side_effects": effects,
        }
        treatments_service.create_treatment(session, user, user, data, now)


def _seed_questionnaires(session: DbSession, user: User, now: datetime) -> None:
    answers: list[tuple[int, str, dict[str, object]]] = [
        (
            5,
            "npsi",
            {
                "q1": 7,
                "q2": 3,
                "q3": 4,
                "q4": "permanent",
                "q5": 6,
                "q6": 5,
                "q7": "6_10",
                "q8": 8,
                "q9": 4,
                "q10": 7,
                "q11": 6,
                "q12": 5,
            },
        ),
    ]
    for day, _full, _effects in INFUSIONS:
        answers.append((day - 2, "peg", {"pain": 7, "enjoyment": 7, "general_activity": 6}))
        answers.append((day + 10, "peg", {"pain": 3, "enjoyment": 4, "general_activity": 3}))
    answers.append((INFUSIONS[-1][0] + 14, "pgic", {"change": 2}))
    for day, instrument, given in answers:
        data = {
            "instrument": instrument,
            "answers": given,
            "answered_at": _demo_day(user, now, day, 18),
        }
        questionnaires_service.record(session, user, user, data, now)


def _seed_entries(
    session: DbSession, user: User, now: datetime, medications: dict[str, str]
) -> None:
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
                    {
                        "region": code,
                        "intensity": max(0, min(10, score + rng.choice([-1, 0, 0, 1]))),
                    }
                    for code in regions
                ],
                "sleep_quality": rng.randint(2, 8) if hour == 8 else None,
                "note": rng.choice(NOTES) if rng.random() < 0.15 else None,
                "medications_taken": _taken(rng, medications, hour),
                "checkin": _checkin(rng, day) if hour == 19 else None,
            }
            entries_service.create_entry(session, user, user, data, now)
