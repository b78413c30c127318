"""A procedure's settings page: audience, followers, must-know roles, the responsible
person, follow-up and reminder days; audited, all or nothing, stale saves refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.procedures import actions, configuring

from .helpers import bullying_procedure, welfare_group

pytestmark = pytest.mark.django_db


def _form(procedure, **extra):
    data = {
        "audience": ["staff", "students"],
        "followers": [str(welfare_group_pk) for welfare_group_pk in extra.pop("followers", [])],
        "must_know_roles": [Role.TEACHER.value],
        "responsible": str(extra.pop("responsible_pk", "")),
        "follow_up_days": "7",
        "review_remind_days": "60",
        "lock": str(procedure.settings_lock),
    }
    data.update(extra)
    return data


def _safety_group(cast) -> Group:
    return Group.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        kind=Group.Kind.WELFARE,
        name="Turvallisuusryhmä",
    )


def test_saving_settings(cast, client):
    procedure = bullying_procedure(cast)
    safety = _safety_group(cast)
    client.force_login(cast.rehtori)
    url = reverse("procedures:settings", args=[procedure.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Turvallisuusryhmä" in page.content.decode()
    data = _form(procedure, followers=[safety.pk], responsible_pk=cast.teacher.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    procedure.refresh_from_db()
    assert procedure.audience == ["staff", "students"]
    assert list(procedure.followers.all()) == [safety]
    assert procedure.must_know_roles == [Role.TEACHER]
    assert procedure.responsible == cast.teacher
    assert procedure.follow_up_days == 7 and procedure.review_remind_days == 60
    assert procedure.settings_lock == 1
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED)
    assert event.object_id == procedure.pk and event.actor_id == cast.rehtori.pk
    assert event.before["responsible"] == cast.kuraattori.pk
    assert event.after["responsible"] == cast.teacher.pk
    assert event.after["followers"] == [safety.pk]
    assert event.provider_id_ref == cast.provider.pk


def test_bad_settings_input_saves_nothing(cast, client):
    procedure = bullying_procedure(cast)
    group = welfare_group(cast)
    client.force_login(cast.rehtori)
    url = reverse("procedures:settings", args=[procedure.pk])
    outsider_unit = cast.kuraattori_out.pk  # a kuraattori of another institution
    for data in (
        _form(procedure, audience=[]),
        _form(procedure, audience=["everyone"]),
        _form(procedure, must_know_roles=["external_member"]),
        _form(procedure, responsible_pk=outsider_unit),
        _form(procedure, follow_up_days="0"),
        _form(procedure, review_remind_days="abc"),
        _form(procedure, followers=[999999]),
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    procedure.refresh_from_db()
    assert procedure.audience == ["staff", "students", "guardians", "public"]
    assert procedure.responsible == cast.kuraattori and procedure.follow_up_days == 14
    assert list(procedure.followers.all()) == [group]
    assert procedure.settings_lock == 0
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED)


def test_a_stale_save_is_refused(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    url = reverse("procedures:settings", args=[procedure.pk])
    stale = _form(procedure, follow_up_days="21")
    assert client.post(url, _form(procedure)).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    procedure.refresh_from_db()
    assert procedure.follow_up_days == 7 and procedure.settings_lock == 1


def test_who_does_not_manage_the_procedure_gets_404(cast, client):
    procedure = bullying_procedure(cast)
    url = reverse("procedures:settings", args=[procedure.pk])
    for who in (cast.teacher, cast.kuraattori_out, cast.outsider):
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert client.post(url, _form(procedure, follow_up_days="3")).status_code == 404
    procedure.refresh_from_db()
    assert procedure.follow_up_days == 14 and procedure.settings_lock == 0
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED)


def test_review_reminder_follows_the_procedure_setting(cast):
    procedure = bullying_procedure(cast)
    today = timezone.localdate()
    current = procedure.current()
    current.review_on = today + timedelta(days=45)
    current.save(update_fields=["review_on"])
    assert actions.reviews_due(today) == []
    procedure.review_remind_days = 60
    procedure.save(update_fields=["review_remind_days"])
    assert actions.reviews_due(today) == [current]


def test_the_action_checks_its_input_itself(cast):
    procedure = bullying_procedure(cast)
    with pytest.raises(ValidationError) as e:
        configuring.change_settings(
            procedure,
            by=cast.rehtori,
            lock=0,
            adapts=None,
            audience=["everyone"],
            followers=[],
            must_know_roles=["external_member"],
            responsible=cast.kuraattori_out,
            follow_up_days=0,
            review_remind_days=400,
        )
    assert set(e.value.message_dict) == {
        "audience",
        "must_know_roles",
        "responsible",
        "follow_up_days",
        "review_remind_days",
    }
    procedure.refresh_from_db()
    assert procedure.responsible == cast.kuraattori and procedure.settings_lock == 0
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED)
