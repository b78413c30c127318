"""The provider admin sets up communal welfare through the pages: a group, a clock, a plan, an indicator."""

import pytest
from django.urls import reverse

from opiskeluhuolto.annualclock.models import Clock
from opiskeluhuolto.meetings.models import Group, Indicator, WelfarePlan

pytestmark = pytest.mark.django_db


def test_admin_creates_a_welfare_group_and_the_law_is_checked(client, cast):
    client.force_login(cast.admin)
    url = reverse("meetings:group_new")
    response = client.post(
        url, {"kind": "welfare", "name": "Ilman oppilaitosta"}, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert response.status_code == 200 and not Group.objects.exists()
    data = {
        "kind": "welfare",
        "name": "Lukion opiskeluhuoltoryhmä",
        "institution": cast.lukio.pk,
        "chair": cast.rehtori.pk,
    }
    response = client.post(url, data)
    group = Group.objects.get()
    assert response.url == reverse("meetings:group", args=[group.pk])
    assert group.chair == cast.rehtori and group.memberships.get().role == "chair"


def test_admin_creates_a_clock_followed_by_a_group(client, cast):
    group = Group.objects.create(provider=cast.provider, kind="theme", name="Turvallisuusryhmä")
    client.force_login(cast.admin)
    response = client.post(
        reverse("annualclock:clock_new"),
        {"name": "Kodin ja koulun yhteistyö", "kind": "home_school", "groups": [group.pk]},
    )
    clock = Clock.objects.get()
    assert response.url == reverse("annualclock:clock", args=[clock.pk])
    assert list(clock.groups.all()) == [group] and clock.institution is None


def test_admin_creates_a_shared_plan_with_extra_sections(client, cast):
    client.force_login(cast.admin)
    data = {
        "title": "Yhteinen suunnitelma",
        "institutions": [cast.lukio.pk, cast.amis.pk],
        "extra_sections": "Kriisisuunnitelma\n\n Poissaolojen seuranta ",
        "review_interval_months": 48,
    }
    assert client.post(reverse("meetings:plan_new"), data).status_code == 302
    plan = WelfarePlan.objects.get()
    assert plan.institutions.count() == 2
    titles = list(plan.versions.get().sections.values_list("title", flat=True))
    assert len(titles) == 8 and titles[-2:] == ["Kriisisuunnitelma", "Poissaolojen seuranta"]


def test_admin_creates_an_indicator_and_a_duplicate_code_is_refused(client, cast):
    client.force_login(cast.admin)
    data = {
        "code": "yksinaisyys",
        "name": "Yksinäisyys",
        "goal": "Vähenee",
        "unit": "%",
        "direction": "lower",
        "target": "10",
        "source": "khk",
    }
    assert client.post(reverse("meetings:indicator_new"), data).status_code == 302
    response = client.post(reverse("meetings:indicator_new"), data, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert Indicator.objects.count() == 1
