"""The group supervisor's page (issue 19): absences and steps, care conversations, own
referrals with their state but not their contents, the year's tasks; the supervisor only."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.annualclock import actions as clock_actions
from opiskeluhuolto.annualclock.models import Clock
from opiskeluhuolto.cases import actions as case_actions
from opiskeluhuolto.cases.models import Referral
from opiskeluhuolto.insights.actions import run_early_warning

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_supervisor_sees_the_group_page(cast):
    run_early_warning(cast.lukio, today=cast.today)
    referral = case_actions.file_referral(
        cast.aino, by=cast.supervisor, channel="staff", reason="Salainen huoli kotona"
    )
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.CASE_OPENED)
    clock = clock_actions.create_clock(
        by=cast.admin, provider=cast.provider, name="Koti ja koulu", kind=Clock.Kind.HOME_SCHOOL
    )
    clock_actions.add_item(
        clock,
        by=cast.admin,
        title="Vastuuohjaaja kutsuu alaikäisen opiskelijan huoltajat HOKSin laadintaan",
        type="communication",
        kind="months",
        first_month=cast.today.month,
        last_month=cast.today.month,
    )
    page = _client(cast.supervisor).get(reverse("front:supervisor_group", args=[cast.group.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Oma ryhmä 24A" in text
    assert "Opiskelija, Aino" in text  # the absence table names the group's students
    assert "HOKSin laadintaan" in text  # the year's task from the home–school clock
    assert "alle 18-vuotias" in text
    assert "Salainen huoli" not in text  # never the referral's contents
    assert "käsitelty" in text and "asia avattu" not in text  # the state, not the outcome


def test_only_the_groups_supervisor_sees_it(cast):
    url = reverse("front:supervisor_group", args=[cast.group.pk])
    for user in (cast.teacher, cast.kuraattori, cast.rehtori, cast.guardian, cast.student):
        assert _client(user).get(url).status_code == 404
