"""Treatment response from stored entries, the check-in window, "the same infusion again"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from diary.services import entries as entries_service
from diary.services import treatments as treatments_service
from tests.factories import make_diary, make_entry, make_treatment, make_user

TODAY = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
DAY0 = TODAY - timedelta(days=60)


def test_response_of_the_hand_computed_diary_from_stored_entries(session: Session) -> None:
    patient = make_user(session)
    # A 7-day baseline at 6 (each day a 5 and a 7), three weeks at 2, then back to 7.
    for offset in range(-7, 0):
        make_entry(session, patient, DAY0 + timedelta(days=offset), 5, hour=8)
        make_entry(session, patient, DAY0 + timedelta(days=offset), 7, hour=20)
    make_diary(session, patient, DAY0 + timedelta(days=1), (21, 2), (14, 7))
    treatment = make_treatment(session, patient, DAY0, dose=0.5, dose_unit="mg/kg/h")

    response = treatments_service.response_for(session, patient, treatment)

    assert response.baseline == 6.0
    assert response.after == 2.0
    assert response.change_pct == -66.7
    assert response.responder == "substantial"
    assert response.relief_days == 25  # in the fourth week after the infusion
    assert response.relief_status == "ended"


def test_deleted_entries_do_not_count(session: Session) -> None:
    patient = make_user(session)
    make_diary(session, patient, DAY0 - timedelta(days=7), (7, 6))
    make_diary(session, patient, DAY0 + timedelta(days=1), (7, 2))
    spike = make_entry(session, patient, DAY0 + timedelta(days=3), 10, hour=18)
    entries_service.delete_entry(session, spike, datetime.now(UTC))
    treatment = make_treatment(session, patient, DAY0)

    response = treatments_service.response_for(session, patient, treatment)

    assert response.after == 2.0


def test_daily_means_use_the_stored_local_date(session: Session) -> None:
    patient = make_user(session, timezone="America/New_York")
    day = date(2026, 3, 10)
    make_entry(session, patient, day, 4, hour=23)  # 03:00 UTC the next day
    make_entry(session, patient, day, 8, hour=9)

    assert treatments_service.daily_means(session, patient) == [(day, 6.0)]


def test_another_patients_entries_never_count(session: Session) -> None:
    patient = make_user(session)
    other = make_user(session, email="other@example.org")
    make_diary(session, other, DAY0 - timedelta(days=7), (15, 5))
    treatment = make_treatment(session, patient, DAY0)

    response = treatments_service.response_for(session, patient, treatment)

    assert response.insufficient_data == ("baseline", "after")
    assert response.baseline is None


def test_the_next_infusion_ends_the_relief_scan(session: Session) -> None:
    patient = make_user(session)
    make_diary(session, patient, DAY0 - timedelta(days=7), (7, 6))
    make_diary(session, patient, DAY0 + timedelta(days=1), (21, 2), (14, 7))
    first = make_treatment(session, patient, DAY0)
    make_treatment(session, patient, DAY0 + timedelta(days=14))
    make_treatment(session, patient, DAY0 + timedelta(days=3), kind="physiotherapy")

    response = treatments_service.response_for(session, patient, first)

    assert response.responder == "substantial"
    assert response.relief_days is None
    assert response.relief_status == "next_treatment"


def test_series_summary_of_three_infusions(session: Session) -> None:
    patient = make_user(session)
    start = TODAY - timedelta(days=130)
    make_diary(session, patient, start - timedelta(days=7), (7, 6))
    treatments = []
    for low_days in (17, 24, 20):
        treatments.append(make_treatment(session, patient, start))
        # the infusion's day unlogged, low_days at 2, then two weeks back at 7
        make_diary(session, patient, start + timedelta(days=1), (low_days, 2), (14, 7))
        start += timedelta(days=low_days + 14 + 1)

    reliefs = treatments_service.responses(session, patient, treatments)
    summary = treatments_service.series_summary(session, patient, "ketamine_infusion")

    # Baselines 6, 7, 7: the line is 4.2, then 4.9. Relief ends 4 or 5 days after the low run.
    assert [reliefs[t.id].relief_days for t in treatments] == [21, 29, 25]
    assert summary.treatments == summary.measured == 3
    assert summary.median_relief_days == 25
    assert (summary.booster_from_day, summary.booster_to_day) == (18, 24)
    assert summary.latest == treatments[-1].local_date


def test_checkin_is_due_for_a_week_after_an_infusion(session: Session) -> None:
    patient = make_user(session)
    make_treatment(session, patient, TODAY - timedelta(days=7))

    assert treatments_service.recent_infusion(session, patient, TODAY) is not None
    assert treatments_service.recent_infusion(session, patient, TODAY + timedelta(days=1)) is None


def test_a_nerve_block_asks_no_checkin(session: Session) -> None:
    patient = make_user(session)
    make_treatment(session, patient, TODAY, kind="nerve_block")

    assert treatments_service.recent_infusion(session, patient, TODAY) is None


def test_the_same_infusion_again_keeps_dose_length_and_hour(session: Session) -> None:
    patient = make_user(session)
    zone = ZoneInfo(patient.timezone)
    last = make_treatment(
        session,
        patient,
        TODAY - timedelta(days=21),
        dose=0.5,
        dose_unit="mg/kg/h",
        setting="day_case",
        ended_at=datetime.combine(TODAY - timedelta(days=21), datetime.min.time(), zone)
        + timedelta(hours=13),
        series_phase="booster",
        series_number=2,
        adjuvants=["ondansetron 4 mg"],
    )
    evening = datetime.combine(TODAY, datetime.min.time(), zone) + timedelta(hours=18)

    again = treatments_service.repeat_infusion(last, patient.timezone, evening)

    assert again["kind"] == "ketamine_infusion"
    assert (again["dose"], again["dose_unit"], again["setting"]) == (0.5, "mg/kg/h", "day_case")
    assert again["started_at"] == datetime.combine(TODAY, datetime.min.time(), zone) + timedelta(
        hours=9
    )
    assert again["ended_at"] - again["started_at"] == timedelta(hours=4)
    assert (again["series_phase"], again["series_number"]) == ("booster", 3)
    assert again["adjuvants"] == ["ondansetron 4 mg"]
    assert again["side_effects"] == []


def test_the_same_infusion_again_never_starts_in_the_future(session: Session) -> None:
    patient = make_user(session)
    zone = ZoneInfo(patient.timezone)
    last = make_treatment(
        session, patient, TODAY - timedelta(days=1), series_phase="induction", series_number=1
    )
    early = datetime.combine(TODAY, datetime.min.time(), zone) + timedelta(hours=7)

    again = treatments_service.repeat_infusion(last, patient.timezone, early)

    assert again["started_at"] == early
    assert (again["series_phase"], again["series_number"]) == ("induction", 2)
