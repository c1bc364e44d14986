"""The clinician's view of many patients: figures and alerts, in a fixed number of queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean

from sqlalchemy import select

from diary.database import DbSession
from diary.models import CareLink, PainDailyStat, PainEntry, Treatment, User
from diary.services.access import active_link_clause
from diary.services.entries import local_date_of
from diary.services.response import treatment_response

WINDOW = 7
MIN_DAYS = 4  # fewer logged days in a week and its mean says too little to alert on
WORSENING = 2.0
SILENT_DAYS = 3
SEVERE = 8.0
SEVERE_RUN = 3
# A treatment's relief that ended this recently is news: time to think about the next one.
RELIEF_NEWS_DAYS = 7
# Treatments older than this are not followed on the dashboard (relief rarely lasts longer).
FOLLOW_TREATMENT_DAYS = 60
URGENCY = {"sustained_severe": 3, "worsening": 2, "response_ending": 2, "silent": 1}


@dataclass(frozen=True)
class CardPatient:
    """What a card shows of the patient (a column-only read: no ORM object per patient)."""

    id: uuid.UUID
    display_name: str
    timezone: str


@dataclass(frozen=True)
class CardLink:
    """What a card needs of the care link."""

    id: uuid.UUID
    role: str
    scopes: list[str]


@dataclass
class PatientCard:
    patient: CardPatient
    link: CardLink
    last_entry_at: datetime | None = None
    last_treatment_on: date | None = None
    mean_7d: float | None = None
    mean_previous_7d: float | None = None
    change: float | None = None
    days_logged_7d: int = 0
    alerts: list[str] = field(default_factory=list)

    @property
    def urgency(self) -> int:
        return max((URGENCY[a] for a in self.alerts), default=0)


def _mean(values: list[float]) -> float | None:
    return round(fmean(values), 2) if len(values) >= MIN_DAYS else None


def _severe_run(means: dict[date, float], today: date) -> bool:
    run = 0
    for n in range(WINDOW):
        day = today - timedelta(days=WINDOW - 1 - n)
        run = run + 1 if means.get(day, 0) >= SEVERE else 0
        if run >= SEVERE_RUN:
            return True
    return False


def card_for(card: PatientCard, means: dict[date, float], today: date) -> PatientCard:
    """Fill in a patient's figures and alerts from their daily means (pure)."""
    this_week = [means[d] for d in (today - timedelta(days=n) for n in range(WINDOW)) if d in means]
    week_before = [
        means[d] for d in (today - timedelta(days=WINDOW + n) for n in range(WINDOW)) if d in means
    ]
    card.days_logged_7d = len(this_week)
    card.mean_7d = _mean(this_week)
    card.mean_previous_7d = _mean(week_before)
    if card.mean_7d is not None and card.mean_previous_7d is not None:
        card.change = round(card.mean_7d - card.mean_previous_7d, 2)
        if card.change >= WORSENING:
            card.alerts.append("worsening")
    last_day = max(means, default=None)
    if last_day is None or (today - last_day).days >= SILENT_DAYS:
        card.alerts.append("silent")
    if _severe_run(means, today):
        card.alerts.append("sustained_severe")
    if _relief_just_ended(means, card.last_treatment_on, today):
        card.alerts.append("response_ending")
    return card


def _relief_just_ended(means: dict[date, float], treated_on: date | None, today: date) -> bool:
    """The latest treatment's relief ended (by the rule of services.response) this week."""
    if treated_on is None or (today - treated_on).days > FOLLOW_TREATMENT_DAYS:
        return False
    ended_on = treatment_response(means.items(), treated_on).relief_ended_on
    return ended_on is not None and (today - ended_on).days < RELIEF_NEWS_DAYS


def dashboard(session: DbSession, grantee: User, now: datetime) -> list[PatientCard]:
    """Every patient with an active link to the grantee, most urgent first (2 queries)."""
    # The last entry of each patient: one index probe each (patient, recorded_at), not a
    # scan of every entry they ever made.
    last_entry = (
        select(PainEntry.recorded_at)
        .where(PainEntry.patient_id == CareLink.patient_id, PainEntry.deleted_at.is_(None))
        .order_by(PainEntry.recorded_at.desc())
        .limit(1)
        .correlate(CareLink)
        .scalar_subquery()
    )
    last_treatment = (
        select(Treatment.local_date)
        .where(Treatment.patient_id == CareLink.patient_id)
        .order_by(Treatment.started_at.desc())
        .limit(1)
        .correlate(CareLink)
        .scalar_subquery()
    )
    # Core execution of column-only selects: for 200 patients the ORM's row handling cost
    # more than the queries themselves.
    connection = session.connection()
    rows = connection.execute(
        select(
            CareLink.id,
            CareLink.role,
            CareLink.scopes,
            User.id,
            User.display_name,
            User.timezone,
            last_entry,
            last_treatment,
        )
        .join(User, User.id == CareLink.patient_id)
        .where(CareLink.grantee_id == grantee.id, *active_link_clause(now))
    ).all()
    if not rows:
        return []
    cards = [
        PatientCard(
            CardPatient(patient_id, name, zone),
            CardLink(link_id, role, scopes),
            last_entry_at=last_at,
            last_treatment_on=treated_on,
        )
        for link_id, role, scopes, patient_id, name, zone, last_at, treated_on in rows
    ]
    today = {c.patient.id: local_date_of(now, c.patient.timezone) for c in cards}
    since = min(today.values()) - timedelta(days=2 * WINDOW)
    followed = [
        c.last_treatment_on - timedelta(days=WINDOW)
        for c in cards
        if c.last_treatment_on is not None
        and (today[c.patient.id] - c.last_treatment_on).days <= FOLLOW_TREATMENT_DAYS
    ]
    since = min([since, *followed])
    means: dict[uuid.UUID, dict[date, float]] = defaultdict(dict)
    # Joined through the links rather than IN (200 ids): one statement text whatever the
    # number of patients, so it is compiled, converted and planned once.
    stats = connection.execute(
        select(
            PainDailyStat.patient_id,
            PainDailyStat.local_date,
            PainDailyStat.intensity_sum,
            PainDailyStat.entry_count,
        )
        .join(CareLink, CareLink.patient_id == PainDailyStat.patient_id)
        .where(
            CareLink.grantee_id == grantee.id,
            *active_link_clause(now),
            PainDailyStat.local_date >= since,
        )
    ).all()
    for patient_id, day, total, count in stats:
        means[patient_id][day] = total / count
    for card in cards:
        if "trends" in card.link.scopes:
            card_for(card, means[card.patient.id], today[card.patient.id])
    cards.sort(key=lambda c: (-c.urgency, -(c.change or 0), c.patient.display_name))
    return cards
