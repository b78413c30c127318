from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto.organisation.models import CalendarPeriod, SchoolYear

pytestmark = pytest.mark.django_db


def test_admin_adds_a_school_year(client, cast):
    client.force_login(cast.admin)
    url = reverse("organisation:calendar", kwargs={"pk": cast.amis.pk})
    r = client.post(
        url,
        {"year-name": "2026–2027", "year-starts_on": "2026-08-01", "year-ends_on": "2027-07-31"},
    )
    assert r.status_code == 302
    assert SchoolYear.objects.filter(institution=cast.amis, name="2026–2027").exists()


def test_bad_dates_are_explained_and_kept(client, cast):
    client.force_login(cast.admin)
    url = reverse("organisation:calendar", kwargs={"pk": cast.amis.pk})
    r = client.post(
        url,
        {"year-name": "väärin", "year-starts_on": "2027-08-01", "year-ends_on": "2026-07-31"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert r.status_code == 200
    assert "Lukuvuoden on päätyttävä alkamisensa jälkeen." in r.content.decode()
    assert 'value="väärin"' in r.content.decode()
    assert not SchoolYear.objects.filter(institution=cast.amis).exists()


def test_admin_adds_and_removes_a_break(client, cast):
    client.force_login(cast.admin)
    y = cast.school_year
    monday = date.fromisocalendar(y.starts_on.year, 42, 1)
    r = client.post(
        reverse("organisation:add_period", kwargs={"pk": y.pk}),
        {
            "period-kind": "break",
            "period-name": "Syysloma",
            "period-starts_on": monday.isoformat(),
            "period-ends_on": monday.replace(day=monday.day + 4).isoformat(),
        },
    )
    assert r.status_code == 302
    period = CalendarPeriod.objects.get(name="Syysloma")
    assert not cast.lukio.school_calendar().is_working_day(monday)
    r = client.post(reverse("organisation:remove_period", kwargs={"pk": period.pk}))
    assert r.status_code == 302
    assert not CalendarPeriod.objects.filter(pk=period.pk).exists()


def test_overlapping_period_is_refused_with_the_clash_named(client, cast):
    client.force_login(cast.admin)
    y = cast.school_year
    r = client.post(
        reverse("organisation:add_period", kwargs={"pk": y.pk}),
        {
            "period-kind": "term",
            "period-name": "Uusi",
            "period-starts_on": f"{y.starts_on.year}-09-01",
            "period-ends_on": f"{y.starts_on.year}-09-30",
        },
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert r.status_code == 200
    assert "Syyslukukausi" in r.content.decode()
    assert not CalendarPeriod.objects.filter(name="Uusi").exists()


def test_rehtori_cannot_edit_the_calendar(client, cast):
    client.force_login(cast.rehtori)
    r = client.post(
        reverse("organisation:remove_period", kwargs={"pk": cast.school_year.periods.first().pk})
    )
    assert r.status_code == 404
    assert cast.school_year.periods.count() == 2


def test_admin_of_another_provider_cannot_touch_this_calendar(client, cast):
    from opiskeluhuolto.organisation import actions

    actions.assign_role(
        cast.outsider, role="provider_admin", provider=cast.other_provider, valid_from=cast.today
    )
    client.force_login(cast.outsider)
    assert (
        client.get(reverse("organisation:calendar", kwargs={"pk": cast.lukio.pk})).status_code
        == 404
    )
    assert (
        client.get(
            reverse("organisation:calendar", kwargs={"pk": cast.other_institution.pk})
        ).status_code
        == 200
    )
