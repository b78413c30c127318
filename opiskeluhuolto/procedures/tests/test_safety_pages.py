"""Recording drills and safety walks and their corrective actions from the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.annualclock.models import Clock, ClockItem
from opiskeluhuolto.meetings.models import Group, Membership
from opiskeluhuolto.procedures import safety
from opiskeluhuolto.procedures.models import CorrectiveAction, SafetyRecord

pytestmark = pytest.mark.django_db


def _drill_item(cast):
    clock = Clock.objects.create(provider=cast.provider, name="Vuosikello")
    return ClockItem.objects.create(
        clock=clock, title="Sulkuharjoitus", type="drill", kind="months", audience="staff"
    )


def _record(cast, **extra):
    return {
        "kind": "lockdown",
        "campus": cast.lukio_campus.pk,
        "held_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "duration_minutes": 20,
        "groups": "24A, 24B",
        "findings": "Kuulutus ei kuulunut saliin.",
        "clock_item": "",
        **extra,
    }


def test_record_a_drill_that_fulfils_a_clock_item_and_add_actions(cast, client):
    item = _drill_item(cast)
    client.force_login(cast.rehtori)
    page = client.get(reverse("procedures:safety_new")).content.decode()
    assert "Sulkuharjoitus" in page
    response = client.post(reverse("procedures:safety_new"), _record(cast, clock_item=item.pk))
    record = SafetyRecord.objects.get()
    assert response.url == reverse("procedures:safety_actions", args=[record.pk])
    assert record.clock_item == item and record.recorded_by == cast.rehtori
    assert list(safety.drills_for_clock_item(item.pk)) == [record]
    url = reverse("procedures:safety_actions", args=[record.pk])
    due = timezone.localdate() - timedelta(days=1)
    data = {"description": "Kaiutin saliin", "owner": cast.nurse.pk, "due_on": due.isoformat()}
    assert client.post(url, data).status_code == 302
    action = CorrectiveAction.objects.get()
    assert action.owner == cast.nurse and action.due_on == due and action.done_on is None
    # Overdue: the owner sees it, and the campus welfare group's members do.
    assert list(safety.overdue_actions_for(cast.nurse)) == [action]
    assert not safety.overdue_actions_for(cast.teacher).exists()
    group = Group.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        kind=Group.Kind.WELFARE,
        name="Kampuksen opiskeluhuoltoryhmä",
    )
    Membership.objects.create(group=group, user=cast.teacher, role="member")
    assert list(safety.overdue_actions_for(cast.teacher)) == [action]
    # Done: marked on the record's page by its owner (the notes field styled as any form's).
    client.force_login(cast.nurse)
    page = client.get(reverse("procedures:safety_record", args=[record.pk])).content.decode()
    assert f'<div class="form-field"><label for="notes-{action.pk}">' in page
    client.post(reverse("procedures:action_done", args=[action.pk]), {"notes": "Asennettu."})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    assert not safety.overdue_actions_for(cast.teacher).exists()


def test_bad_safety_input_saves_nothing(cast, client):
    client.force_login(cast.rehtori)
    url = reverse("procedures:safety_new")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    for data in (_record(cast, held_on=future), _record(cast, campus=cast.amis_campus.pk)):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not SafetyRecord.objects.exists()
    record = safety.record_safety(
        campus=cast.lukio_campus,
        kind="safety_walk",
        held_on=timezone.localdate() - timedelta(days=3),
        by=cast.rehtori,
    )
    url = reverse("procedures:safety_actions", args=[record.pk])
    before = (timezone.localdate() - timedelta(days=5)).isoformat()
    for data in (
        {"description": "X", "owner": cast.nurse.pk, "due_on": before},
        {"description": "X", "owner": cast.outsider.pk, "due_on": timezone.localdate()},
        {"description": "", "owner": cast.nurse.pk, "due_on": timezone.localdate()},
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not CorrectiveAction.objects.exists()


def test_campus_group_staff_record_drills_other_staff_do_not(cast, client):
    client.force_login(cast.nurse)
    assert client.get(reverse("procedures:safety_new")).status_code == 404
    group = Group.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        kind=Group.Kind.WELFARE,
        name="Kampuksen turvallisuusryhmä",
    )
    Membership.objects.create(group=group, user=cast.nurse, role="member")
    assert client.get(reverse("procedures:safety_new")).status_code == 200
    assert client.post(reverse("procedures:safety_new"), _record(cast)).status_code == 302
    record = SafetyRecord.objects.get()
    client.force_login(cast.teacher)
    assert client.get(reverse("procedures:safety_actions", args=[record.pk])).status_code == 404


@pytest.mark.parametrize("name", ["procedures:index", "procedures:safety"])
def test_the_lists_tables_scroll_inside_their_box_on_a_phone(cast, client, name):
    # A bare table pushed a 375 px page sideways; the site's styled, scrolling table is used.
    client.force_login(cast.rehtori)
    page = client.get(reverse(name)).content.decode()
    assert '<div class="table-wrap" tabindex="0"><table class="data">' in page
    assert 'class="table"' not in page


def test_an_untouched_form_is_refused_field_by_field_and_nothing_saved(cast, client):
    """Issue 17: /procedures/safety/new/ submitted with nothing filled saved a record
    (the selects submitted their first option, the date was prefilled)."""
    client.force_login(cast.rehtori)
    url = reverse("procedures:safety_new")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    # Nothing is chosen for the person, and the three are marked required.
    assert '<option value="" selected>—</option>' in page
    for label in ("Laji", "Kampus"):
        assert f'{label} <span aria-hidden="true">*</span></label>' in page
    # What a browser sends for the untouched form: empty choices and date, duration 0.
    untouched = {"kind": "", "campus": "", "held_on": "", "duration_minutes": "0"}
    untouched.update({"groups": "", "findings": "", "clock_item": ""})
    for data in (untouched, {}):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fi")
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert {"kind", "campus", "held_on"} <= set(errors)
        text = response.content.decode()
        assert 'id="id_kind_error">Valitse, oliko kyseessä' in text
        assert 'id="id_campus_error">Valitse kampus, jolla se pidettiin.' in text
        assert 'id="id_held_on_error">Kerro, minä päivänä se pidettiin.' in text
    assert not SafetyRecord.objects.exists()


def test_record_safety_refuses_a_record_without_kind_campus_or_date(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        safety.record_safety(campus=None, kind="", held_on=None, by=cast.rehtori)
    assert {"kind", "campus", "held_on"} <= set(e.value.message_dict)
    assert not SafetyRecord.objects.exists()
