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


@dataclass
class PatientCard:
    patient: User
    link: CareLink
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
    rows = session.execute(
        select(CareLink, User, last_entry, last_treatment)
        .join(User, User.id == CareLink.patient_id)
        .where(CareLink.grantee_id == grantee.id, *active_link_clause(now))
    ).all()
    if not rows:
        return []
    ids = [patient.id for _, patient, _, _ in rows]
    today = {patient.id: local_date_of(now, patient.timezone) for _, patient, _, _ in rows}
    since = min(today.values()) - timedelta(days=2 * WINDOW)
    followed = [
        treated_on - timedelta(days=WINDOW)
        for _, patient, _, treated_on in rows
        if treated_on is not None and (today[patient.id] - treated_on).days <= FOLLOW_TREATMENT_DAYS
    ]
    since = min([since, *followed])
    means: dict[uuid.UUID, dict[date, float]] = defaultdict(dict)
    for patient_id, day, total, count in session.execute(
        select(
            PainDailyStat.patient_id,
            PainDailyStat.local_date,
            PainDailyStat.intensity_sum,
            PainDailyStat.entry_count,
        ).where(PainDailyStat.patient_id.in_(ids), PainDailyStat.local_date >= since)
    ):
        means[patient_id][day] = total / count
    cards = []
    for link, patient, last_at, treated_on in rows:
        card = PatientCard(patient, link, last_entry_at=last_at, last_treatment_on=treated_on)
        if "trends" in link.scopes:
            card_for(card, means[patient.id], today[patient.id])
        cards.append(card)
    cards.sort(key=lambda c: (-c.urgency, -(c.change or 0), c.patient.display_name))
    return cards
