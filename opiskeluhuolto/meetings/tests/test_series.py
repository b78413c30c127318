"""Meetings planned as a series, with iCalendar invitations by e-mail (issue 20)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opiskeluhuolto.meetings import actions, series
from opiskeluhuolto.meetings.models import Meeting

from .conftest import at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 6)


def test_series_keeps_the_local_time_across_daylight_saving_and_checks_its_limits():
    times = series.series_times(
        at(date(2026, 10, 20)), at(date(2026, 10, 20), 14), every_weeks=1, count=2
    )
    assert [timezone.localtime(s).hour for s, _e in times] == [13, 13]
    assert timezone.localtime(times[1][0]).date() == date(2026, 10, 27)
    with pytest.raises(ValidationError):
        series.series_times(times[0][0], times[0][1], every_weeks=0, count=3)
    with pytest.raises(ValidationError):
        series.series_times(times[0][0], times[0][1], every_weeks=2, count=21)


@time_machine.travel(TODAY)
def test_series_plans_every_meeting_and_mails_one_invitation(
    welfare, cast, django_capture_on_commit_callbacks
):
    first = TODAY + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        made = series.schedule_series(
            welfare.group,
            by=cast.rehtori,
            starts_at=at(first),
            ends_at=at(first, 14),
            every_weeks=2,
            count=3,
            place="Kirjasto",
        )
    assert [timezone.localtime(m.starts_at).date() for m in made] == [
        first + timedelta(weeks=n * 2) for n in range(3)
    ]
    [sent] = mail.outbox
    assert set(sent.bcc) == {cast.rehtori.email, cast.kuraattori.email, cast.external.email}
    [(name, content, mimetype)] = sent.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content)
    assert cal["method"] == "REQUEST"
    events = cal.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"meeting-{m.pk}@opiskeluhuolto" for m in made]
    assert all(str(e["location"]) == "Kirjasto" for e in events)


@time_machine.travel(TODAY)
def test_an_overlap_refuses_the_whole_series(welfare, cast):
    clash = TODAY + timedelta(days=21)
    actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(clash), ends_at=at(clash, 14)
    )
    first = TODAY + timedelta(days=7)
    with pytest.raises(ValidationError):
        series.schedule_series(
            welfare.group,
            by=cast.rehtori,
            starts_at=at(first),
            ends_at=at(first, 14),
            every_weeks=2,
            count=3,
        )
    assert Meeting.objects.filter(group=welfare.group).count() == 1


@time_machine.travel(TODAY)
def test_meeting_form_plans_a_series_and_refuses_a_bad_count(
    client, welfare, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.rehtori)
    url = reverse("meetings:meeting_new", args=[welfare.group.pk])
    day = TODAY + timedelta(days=7)
    data = {"day": day.isoformat(), "start": "13:00", "end": "14:30", "place": "Kirjasto"}
    response = client.post(url, {**data, "count": "30"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200 and not Meeting.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "count": "3", "every_weeks": "4"})
    assert response.status_code == 302
    assert Meeting.objects.filter(group=welfare.group).count() == 3
    assert len(mail.outbox) == 1
