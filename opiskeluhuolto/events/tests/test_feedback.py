"""Feedback on an event: a short anonymous survey of the survey tool for the participants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.events import feedback
from opiskeluhuolto.events.models import Event, Registration
from opiskeluhuolto.organisation import actions as org
from opiskeluhuolto.surveys.models import Invitation, Survey

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _students(cast, n: int, prefix: str) -> list:
    users = []
    for i in range(n):
        u = User.objects.create(username=f"{prefix}{i}", first_name=f"O{i}", last_name="T")
        org.enrol_student(
            user=u,
            institution=cast.lukio,
            campus=cast.lukio_campus,
            group=cast.group,
            first_name=f"O{i}",
            last_name="T",
            date_of_birth=cast.aino.date_of_birth,
        )
        users.append(u)
    return users


def _past_event(cast, group, n_came: int, n_absent: int = 0, **fields):
    event = make_event(
        cast,
        group,
        starts_at=timezone.now() - timedelta(days=1),
        capacity=None,
        **fields,
    )
    users = _students(cast, n_came + n_absent, prefix=f"e{event.pk}-")
    for i, u in enumerate(users):
        Registration.objects.create(event=event, user=u, status="registered", attended=i < n_came)
    return event, users


def test_the_participants_who_came_get_the_survey(cast, group):
    event, users = _past_event(cast, group, n_came=6, n_absent=2)
    survey = feedback.send_feedback(event, by=cast.users["rehtori"])
    assert survey.status == Survey.Status.OPEN
    assert survey.is_anonymous
    assert survey.owner_group_id == group.pk
    assert survey.title["fi"] == "Palaute: Liikkuva välitunti"
    assert survey.title["sv"] == "Respons: Rörlig rast"
    invited = set(Invitation.objects.filter(survey=survey).values_list("user_id", flat=True))
    assert invited == {u.pk for u in users[:6]}  # not those who did not come
    event.refresh_from_db()
    assert event.feedback_survey_id == survey.pk
    with pytest.raises(ValidationError):
        feedback.send_feedback(event, by=cast.users["rehtori"])  # once only


def test_not_before_the_end_nor_for_a_handful(cast, group):
    coming = make_event(cast, group)
    with pytest.raises(ValidationError) as e:
        feedback.send_feedback(coming, by=cast.users["rehtori"])
    assert "feedback" in e.value.message_dict
    few, _users = _past_event(cast, group, n_came=4, title_fi="Pieni työpaja")
    with pytest.raises(ValidationError):
        feedback.send_feedback(few, by=cast.users["rehtori"])
    assert not Survey.objects.exists()


def test_the_worker_sends_due_feedback_once(cast, group):
    event, _users = _past_event(cast, group, n_came=5)
    Event.objects.filter(pk=event.pk).update(feedback=True)
    small, _u = _past_event(cast, group, n_came=2, title_fi="Pieni")
    Event.objects.filter(pk=small.pk).update(feedback=True)
    later = make_event(cast, group, title_fi="Tuleva")
    Event.objects.filter(pk=later.pk).update(feedback=True)
    assert feedback.send_due() == 1
    assert feedback.send_due() == 0
    assert Survey.objects.count() == 1
    small.refresh_from_db()
    assert small.feedback is False and small.feedback_survey_id is None


def test_only_the_organiser_sends_it(cast, group):
    event, _users = _past_event(cast, group, n_came=5)
    url = reverse("events:feedback", args=[event.pk])
    client = Client()
    client.force_login(cast.student)
    assert client.post(url).status_code == 404
    client.force_login(cast.teacher)  # a member of the organiser group
    assert client.post(url).status_code == 302
    event.refresh_from_db()
    assert event.feedback_survey_id is not None


def test_the_scheduled_command_sends_due_feedback_once(cast, group):
    import io

    from django.core.management import call_command

    event, users = _past_event(cast, group, n_came=5)
    Event.objects.filter(pk=event.pk).update(feedback=True)
    call_command("send_due_event_feedback", stdout=io.StringIO())
    event.refresh_from_db()
    survey = Survey.objects.get(pk=event.feedback_survey_id)
    invited = set(Invitation.objects.filter(survey=survey).values_list("user_id", flat=True))
    assert invited == {u.pk for u in users}
    call_command("send_due_event_feedback", stdout=io.StringIO())  # nothing twice
    assert Survey.objects.count() == 1
