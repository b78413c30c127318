"""Care-conversation tasks: the group supervisor acknowledges and records the conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.imports.tests.helpers import seed_absences
from opiskeluhuolto.insights import actions
from opiskeluhuolto.insights.models import CareTask, TaskEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(cast):
    seed_absences(cast)
    actions.run_early_warning(cast.lukio, today=cast.today)
    return CareTask.objects.filter(student=cast.aino).order_by("pk").first()


def test_a_task_goes_to_the_group_supervisor(cast, task):
    assert task.assignee == cast.supervisor
    assert task.status == CareTask.Status.OPEN


def test_acknowledge_and_resolve_write_audit_events(cast, task):
    actions.acknowledge_task(task, by=cast.supervisor, version=1)
    task = actions.resolve_task(
        task,
        by=cast.supervisor,
        held_on=cast.today,
        agreed="Tapaaminen huoltajan kanssa.",
        version=2,
    )
    assert task.status == CareTask.Status.RESOLVED
    assert task.conversation_on == cast.today
    kinds = list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["opened", "acknowledged", "resolved"]


def test_a_stale_version_is_refused(cast, task):
    actions.acknowledge_task(task, by=cast.supervisor, version=1)
    with pytest.raises(ValidationError, match="Joku muu|Someone else"):
        actions.resolve_task(task, by=cast.supervisor, held_on=cast.today, agreed="x", version=1)


def test_resolve_checks_its_input(cast, task):
    with pytest.raises(ValidationError):
        actions.resolve_task(task, by=cast.supervisor, held_on=cast.today, agreed="  ")
    with pytest.raises(ValidationError):
        actions.resolve_task(
            task, by=cast.supervisor, held_on=cast.today + timedelta(days=2), agreed="x"
        )


def test_task_page_and_resolve_form(client, cast, task):
    client.force_login(cast.supervisor)
    page = client.get(reverse("insights:task", args=[task.pk]))
    assert page.status_code == 200
    assert "Aino Opiskelija" in page.content.decode()
    bad = client.post(
        reverse("insights:task_resolve", args=[task.pk]),
        {"held_on": "", "agreed": "Kirjoitettu teksti säilyy", "version": task.version},
    )
    assert bad.status_code == 400
    assert "Kirjoitettu teksti säilyy" in bad.content.decode()
    ok = client.post(
        reverse("insights:task_resolve", args=[task.pk]),
        {"held_on": timezone.localdate().isoformat(), "agreed": "Sovittu", "version": task.version},
    )
    assert ok.status_code == 302
    task.refresh_from_db()
    assert task.status == CareTask.Status.RESOLVED


def test_wrong_method_is_refused(client, cast, task):
    client.force_login(cast.supervisor)
    assert client.get(reverse("insights:task_acknowledge", args=[task.pk])).status_code == 405


def test_another_teacher_cannot_see_the_task(client, cast, task):
    client.force_login(cast.teacher)
    assert client.get(reverse("insights:task", args=[task.pk])).status_code == 404
    assert client.post(reverse("insights:task_acknowledge", args=[task.pk])).status_code == 404


def test_scope_equals_predicate(cast, task):
    """The list scope and the object rule agree for every member of the cast."""
    from opiskeluhuolto.access import for_user
    from opiskeluhuolto.access.insights import care_tasks_visible_to
    from opiskeluhuolto.testing.cast import MEMBERS

    for member in MEMBERS[1:]:
        user = cast.member(member)
        in_scope = care_tasks_visible_to(user).filter(pk=task.pk).exists()
        assert in_scope == for_user(user).view_care_task(task), member


def test_supervisor_sees_the_individuals_of_their_group_only(client, cast, task):
    client.force_login(cast.supervisor)
    page = client.get(reverse("insights:group", args=[cast.group.pk]))
    assert page.status_code == 200
    assert "Opiskelija, Aino" in page.content.decode()
    client.force_login(cast.rehtori)
    assert client.get(reverse("insights:group", args=[cast.group.pk])).status_code == 404


def test_home_panel_lists_the_supervisors_tasks(client, cast, task):
    client.force_login(cast.supervisor)
    page = client.get(reverse("front:home")).content.decode()
    assert reverse("insights:task", args=[task.pk]) in page


def test_task_list_and_group_page_queries_do_not_grow(
    client, cast, task, django_assert_max_num_queries
):
    """No N+1: the supervisor's list and group page cost the same with more tasks."""
    from opiskeluhuolto.insights.models import WarningStep

    client.force_login(cast.supervisor)
    client.get(reverse("insights:tasks"))
    with django_assert_max_num_queries(30) as before:
        client.get(reverse("insights:tasks"))
        client.get(reverse("insights:group", args=[cast.group.pk]))
    step = WarningStep.objects.first()
    for student in cast.group.students.exclude(pk=cast.aino.pk):
        CareTask.objects.get_or_create(
            student=student,
            step=step,
            year_start=task.year_start,
            defaults={"assignee": cast.supervisor, "value": 30, "triggered_on": cast.today},
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("insights:tasks"))
        client.get(reverse("insights:group", args=[cast.group.pk]))
