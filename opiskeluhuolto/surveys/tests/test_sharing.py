"""Naming who else reads the released results (`Survey.shared_with`) on the builder page:
staff of the survey's provider only, audited, and the named see the results only once
they are released."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import Survey

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _share(client, survey, *users):
    return client.post(
        reverse("surveys:share", args=[survey.pk]), {"shared_with": [u.pk for u in users]}
    )


def _release(survey, sv):
    for i, user in enumerate(sv.users):
        actions.submit(survey, user, full_answers(survey, i), today=sv.today)
    actions.release(survey, by=sv.kuraattori, today=survey.results_on)
    # The release date is in the future of the test's today: bring it to today.
    Survey.objects.filter(pk=survey.pk).update(results_on=sv.today, closes_on=sv.today)


def test_the_named_reader_sees_the_results_only_once_released(client, open_survey, sv, cast):
    teacher, supervisor = cast.users["teacher"], cast.users["supervisor"]
    client.force_login(sv.kuraattori)
    page = client.get(reverse("surveys:edit", args=[open_survey.pk]))
    assert page.status_code == 200
    assert f'value="{teacher.pk}"' in page.content.decode()
    assert _share(client, open_survey, teacher).status_code == 302
    assert list(open_survey.shared_with.all()) == [teacher]

    results = reverse("surveys:results", args=[open_survey.pk])
    api = reverse("api:surveys-results", args=[open_survey.pk])
    client.force_login(teacher)
    assert client.get(results).status_code == 404  # named, but not released
    assert client.get(api).status_code == 404
    _release(open_survey, sv)
    assert client.get(results).status_code == 200
    assert client.get(api).json()["respondents"] == 10
    client.force_login(supervisor)  # staff of the provider, not named
    assert client.get(results).status_code == 404
    assert client.get(api).status_code == 404


def test_changing_the_readers_is_audited(client, open_survey, sv, cast):
    teacher = cast.users["teacher"]
    client.force_login(sv.kuraattori)
    _share(client, open_survey, teacher)
    _share(client, open_survey, teacher)  # no change: no second event
    _share(client, open_survey)
    events = list(
        AuditEvent.objects.filter(
            kind=AuditEvent.Kind.SURVEY_RESULTS_SHARED,
            object_type="surveys.survey",
            object_id=open_survey.pk,
        ).order_by("pk")
    )
    assert [(e.before, e.after) for e in events] == [
        ({"shared_with": []}, {"shared_with": [teacher.pk]}),
        ({"shared_with": [teacher.pk]}, {"shared_with": []}),
    ]
    assert events[0].actor_id == sv.kuraattori.pk
    assert events[0].provider_id_ref == open_survey.provider_id


def test_a_person_of_another_provider_cannot_be_named(client, open_survey, sv, cast):
    outsider = cast.users["outsider"]
    client.force_login(sv.kuraattori)
    page = client.get(reverse("surveys:edit", args=[open_survey.pk])).content.decode()
    assert f'value="{outsider.pk}"' not in page
    bad = _share(client, open_survey, cast.users["teacher"], outsider)
    assert bad.status_code == 400
    assert "Vain kyselyn järjestäjän henkilöstöä voi nimetä." in bad.content.decode()
    assert not open_survey.shared_with.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SURVEY_RESULTS_SHARED).exists()


def test_the_action_refuses_someone_outside_the_provider(open_survey, sv, cast):
    from django.core.exceptions import ValidationError

    for name in ("outsider", "student", "guardian", "external"):
        with pytest.raises(ValidationError) as e:
            actions.share_results(open_survey, [cast.users[name]], by=sv.kuraattori)
        assert "shared_with" in e.value.message_dict, name
    assert not open_survey.shared_with.exists()


def test_only_those_who_run_the_survey_name_its_readers(client, open_survey, sv, cast):
    client.force_login(cast.users["teacher"])
    assert _share(client, open_survey, cast.users["teacher"]).status_code == 404
    assert not open_survey.shared_with.exists()
