"""The reminders page works with plain forms: add, edit, pause, remove, test, .ics."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from icalendar import Calendar
from sqlalchemy import select

from diary.extensions import db
from diary.models import ReminderSchedule
from tests.api.test_pages import form_token
from tests.conftest import ApiClient
from tests.factories import make_user


def reminders(app: Flask) -> list[ReminderSchedule]:
    with app.app_context():
        rows = list(db.session.scalars(select(ReminderSchedule)))
        db.session.expunge_all()
        return rows


def add(client: Any, **fields: Any) -> Any:
    token = form_token(client.get("/reminders").get_data(as_text=True))
    return client.post("/reminders", data={"csrf_token": token, **fields})


def post(client: Any, path: str) -> Any:
    token = form_token(client.get("/reminders").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token})


def test_the_page_offers_a_daily_evening_reminder(patient_api: ApiClient) -> None:
    page = patient_api.client.get("/reminders").get_data(as_text=True)

    assert 'value="20:00"' in page
    assert page.count('name="day"') == 7
    assert page.count('name="day" value') == 7 and page.count("checked") >= 8
    assert "Turn on notifications here" in page
    assert "Send a test notification" in page
    assert "/reminders.ics" in page
    assert "<script>" not in page and 'style="' not in page


def test_add_a_reminder_with_the_plain_form(app: Flask, patient_api: ApiClient) -> None:
    response = add(patient_api.client, time="08:30", day=["0", "1", "2", "3", "4"], channel="push")

    assert response.status_code == 302
    [reminder] = reminders(app)
    assert reminder.local_time.strftime("%H:%M") == "08:30"
    assert reminder.days == [0, 1, 2, 3, 4]
    page = patient_api.client.get("/reminders").get_data(as_text=True)
    assert "Reminder added for 08:30." in page
    assert "Weekdays" in page


def test_a_bad_form_keeps_what_was_typed_and_says_why(app: Flask, patient_api: ApiClient) -> None:
    response = add(patient_api.client, time="", channel="push")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="time-error"' in page
    assert 'id="days-error"' in page
    assert reminders(app) == []


def test_edit_pause_resume_and_remove(app: Flask, patient_api: ApiClient) -> None:
    client = patient_api.client
    add(client, time="20:00", day=[str(d) for d in range(7)], channel="push")
    [reminder] = reminders(app)

    edit_page = client.get(f"/reminders/{reminder.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/reminders/{reminder.id}/edit",
        data={
            "csrf_token": form_token(edit_page),
            "time": "21:15",
            "day": ["5", "6"],
            "channel": ["push", "email"],
        },
    )
    assert response.status_code == 302
    [reminder] = reminders(app)
    assert (reminder.local_time.strftime("%H:%M"), reminder.days) == ("21:15", [5, 6])
    assert reminder.channels == ["push", "email"]

    post(client, f"/reminders/{reminder.id}/pause")
    [reminder] = reminders(app)
    assert (reminder.enabled, reminder.next_fire_at) == (False, None)
    assert "paused" in client.get("/reminders").get_data(as_text=True)
    post(client, f"/reminders/{reminder.id}/pause")
    assert reminders(app)[0].enabled is True

    post(client, f"/reminders/{reminder.id}/delete")
    assert reminders(app) == []


def test_someone_elses_reminder_page_is_not_found(app: Flask, patient_api: ApiClient) -> None:
    with app.app_context():
        make_user(db.session, email="other@example.org")
        db.session.commit()
    other = ApiClient(app.test_client())
    other.login("other@example.org")
    add(other.client, time="07:00", day="0", channel="push")
    [reminder] = reminders(app)

    assert patient_api.client.get(f"/reminders/{reminder.id}/edit").status_code == 404
    assert post(patient_api.client, f"/reminders/{reminder.id}/delete").status_code == 404
    assert len(reminders(app)) == 1


def test_the_test_button_says_when_no_browser_is_set_up(patient_api: ApiClient) -> None:
    response = post(patient_api.client, "/reminders/test")

    assert response.status_code == 302
    page = patient_api.client.get("/reminders").get_data(as_text=True)
    assert "No browser is set up for notifications yet." in page


def test_the_calendar_file_repeats_at_local_time(app: Flask, patient_api: ApiClient) -> None:
    add(patient_api.client, time="20:00", day=["0", "2", "4"], channel="push")
    add(patient_api.client, time="09:00", day="6", channel="push")
    [paused] = [r for r in reminders(app) if r.local_time.hour == 9]
    post(patient_api.client, f"/reminders/{paused.id}/pause")

    response = patient_api.client.get("/reminders.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")  # the paused one is left out
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (20, 0, "Europe/Berlin")
    assert event["rrule"]["BYDAY"] == ["MO", "WE", "FR"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    assert calendar.walk("VALARM")
    assert re.search(r"/entries/new", str(event["description"]))


def test_the_page_needs_a_sign_in(client: Any) -> None:
    response = client.get("/reminders")

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
