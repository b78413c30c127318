"""Events: validation, registration with a waiting list, attendance, participation, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.access import communication, for_user
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.events import actions, participation
from opiskeluhuolto.events.models import Registration
from opiskeluhuolto.organisation import actions as org
from opiskeluhuolto.organisation.models import StudentGroup

from .conftest import begin, make_event

pytestmark = pytest.mark.django_db


def _students(cast, n, group=None):
    users = []
    for i in range(n):
        u = User.objects.create(username=f"s{i}", first_name=f"Opiskelija{i}", last_name="T")
        org.enrol_student(
            user=u,
            institution=cast.lukio,
            campus=cast.lukio_campus,
            group=group or cast.group,
            first_name=f"Opiskelija{i}",
            last_name="T",
            date_of_birth=cast.aino.date_of_birth,
        )
        users.append(u)
    return users


def test_bad_event_is_refused_field_by_field(cast, group):
    with pytest.raises(ValidationError) as e:
        make_event(cast, group, campuses=[cast.amis_campus], place="", capacity=0)
    assert {"campuses", "place", "capacity"} <= set(e.value.message_dict)


def test_capacity_then_waiting_list_then_cancellation_promotes(cast, event):
    a, b, c = _students(cast, 3)
    assert actions.register(event, a).status == "registered"
    assert actions.register(event, b).status == "registered"
    assert actions.register(event, c).status == "waiting"
    assert actions.register(event, a).status == "registered"  # twice is once
    actions.cancel(event, a)
    assert Registration.objects.get(event=event, user=c).status == "registered"
    assert Registration.objects.filter(event=event, status="registered").count() == 2


def test_no_registration_after_the_start(cast, group):
    event = make_event(cast, group, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        actions.register(event, cast.student)


def test_who_sees_the_event(cast, event):
    assert communication.events_visible_to(cast.student).filter(pk=event.pk).exists()
    assert not communication.events_visible_to(cast.guardian).filter(pk=event.pk).exists()
    assert not communication.events_visible_to(cast.adult).filter(pk=event.pk).exists()
    assert communication.events_visible_to(cast.teacher).filter(pk=event.pk).exists()  # organiser
    assert not communication.events_visible_to(cast.outsider).filter(pk=event.pk).exists()
    from opiskeluhuolto.access import for_user

    for user in (cast.student, cast.guardian, cast.adult, cast.teacher, cast.outsider, cast.nurse):
        listed = communication.events_visible_to(user).filter(pk=event.pk).exists()
        assert listed == for_user(user).view_event(event), user


def test_attendance_from_the_list_and_head_count(cast, event, group):
    a, b = _students(cast, 2)
    ra = actions.register(event, a)
    actions.register(event, b)
    with pytest.raises(ValidationError) as planned:
        actions.record_attendance(event, by=cast.rehtori, attended_ids=[ra.pk])
    assert "starts_at" in planned.value.message_dict  # not before the event has begun
    assert not Registration.objects.filter(attended=True).exists()
    begin(event, ended=False)  # under way: the list is marked at the door
    actions.record_attendance(event, by=cast.rehtori, attended_ids=[ra.pk])
    assert set(Registration.objects.filter(attended=True).values_list("user", flat=True)) == {a.pk}
    other = make_event(cast, group, title_fi="Muu")
    foreign = actions.register(other, b)
    with pytest.raises(ValidationError) as foreign_mark:
        actions.record_attendance(event, by=cast.rehtori, attended_ids=[foreign.pk])
    assert "attended" in foreign_mark.value.message_dict
    actions.record_attendance(event, by=cast.rehtori, head_count=40)
    event.refresh_from_db()
    assert event.head_count == 40


def test_participation_is_suppressed_below_five_and_reported(cast, group):
    from opiskeluhuolto.meetings import inbox
    from opiskeluhuolto.meetings.models import DataPoint

    event = make_event(cast, group, capacity=20)
    small = StudentGroup.objects.create(
        institution=cast.lukio, campus=cast.lukio_campus, name="25B"
    )
    many = _students(cast, 6)
    few = [User.objects.create(username=f"f{i}") for i in range(2)]
    for i, u in enumerate(few):
        org.enrol_student(
            user=u,
            institution=cast.lukio,
            campus=cast.lukio_campus,
            group=small,
            first_name=f"F{i}",
            last_name="T",
            date_of_birth=cast.aino.date_of_birth,
        )
    regs = [actions.register(event, u) for u in many + few]
    begin(event)
    actions.record_attendance(event, by=cast.rehtori, attended_ids=[r.pk for r in regs[:5]])
    p = participation.participation(event)
    groups = {c.label: c for c in p.by_group}
    assert groups["25B"].registered is None  # 2: suppressed
    # 8 registered in all: 24A's 6 would give 25B's 2 away, so it is hidden too
    assert p.registered == 8 and groups["24A"].registered is None
    assert p.attended == 5 and groups["24A"].attended is None  # 5 + 0: both hidden
    participation.report(event, by=cast.rehtori)
    point = DataPoint.objects.get(campus=cast.lukio_campus)
    assert point.value == 5 and point.respondents == 8
    assert DataPoint.objects.get(campus=None).value == 5
    proposals = list(inbox.pending(group))
    assert len(proposals) == 1
    assert "8" in proposals[0].detail and "5" in proposals[0].detail
    participation.report(event, by=cast.rehtori)  # again: one proposal, updated
    assert inbox.pending(group).count() == 1


def test_invitation_goes_through_announcements(cast, event):
    draft = actions.invite(event, by=cast.rehtori)
    assert draft.audience == "students" and draft.campus_id == cast.lukio_campus.pk
    assert draft.title_sv == "Rörlig rast" and draft.status == "draft"


def _third_campus_student(cast, name="Kolmas"):
    """Lukio gets two more campuses; a minor student with a guardian studies on the last."""
    from opiskeluhuolto.organisation.models import Campus

    second = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    third = Campus.objects.create(institution=cast.lukio, name="Kolmas kampus")
    student = org.enrol_student(
        user=User.objects.create(username=f"s-{name}", email=f"{name}@test.invalid"),
        institution=cast.lukio,
        campus=third,
        first_name=name,
        last_name="Oppilas",
        date_of_birth=cast.aino.date_of_birth,
    )
    guardian = User.objects.create(username=f"g-{name}", email=f"g{name}@test.invalid")
    org.link_guardian(student, guardian)
    return second, third, student, guardian


def test_invitation_to_several_campuses_reaches_only_them(cast, group):
    from opiskeluhuolto.announcements import audience

    second, third, student, guardian = _third_campus_student(cast)
    event = make_event(cast, group, audience="guardians", campuses=[cast.lukio_campus, second])
    draft = actions.invite(event, by=cast.rehtori)
    assert draft.campus_id is None
    assert set(draft.campus_ids()) == {cast.lukio_campus.pk, second.pk}
    got = set(audience.recipients(draft, cast.today))
    assert cast.guardian in got and cast.guardian_onni in got
    assert guardian not in got  # the third campus was not chosen
    everywhere = make_event(cast, group, audience="guardians", campuses=[])
    assert guardian in set(
        audience.recipients(actions.invite(everywhere, by=cast.rehtori), cast.today)
    )


def test_event_for_a_group_or_a_starting_year(cast, group):
    _second, _third, student, guardian = _third_campus_student(cast)
    for fields in (
        {"student_group": cast.group},
        {"starting_year": 2000 + int(cast.group.name[:2])},
    ):
        event = make_event(cast, group, audience="everyone", campuses=[], **fields)
        assert for_user(cast.student).view_event(event)
        assert for_user(cast.guardian).view_event(event)
        assert not for_user(student.user).view_event(event)  # no group
        assert not for_user(guardian).view_event(event)
        listed = communication.events_visible_to(student.user).filter(pk=event.pk).exists()
        assert not listed
        assert communication.events_visible_to(cast.guardian).filter(pk=event.pk).exists()
        got = set(audience_members(actions.invite(event, by=cast.rehtori), cast))
        assert cast.student in got and student.user not in got


def audience_members(draft, cast):
    from opiskeluhuolto.announcements import audience

    return audience.recipients(draft, cast.today)


def test_a_group_of_another_campus_is_refused(cast, group):
    from opiskeluhuolto.organisation.models import StudentGroup

    second, _third, _s, _g = _third_campus_student(cast)
    other = StudentGroup.objects.create(institution=cast.lukio, campus=second, name="25B")
    with pytest.raises(ValidationError) as e:
        make_event(cast, group, student_group=other, campuses=[cast.lukio_campus])
    assert "student_group" in e.value.error_dict


def test_clock_item_must_be_an_event(cast, group):
    from opiskeluhuolto.annualclock import actions as clock

    c = clock.create_clock(
        by=cast.users["admin"], provider=cast.provider, name="K", kind="home_school"
    )
    newsletter = clock.add_item(
        c,
        by=cast.users["admin"],
        title="Uutiskirje",
        type="communication",
        kind="weeks",
        first_week=35,
        last_week=35,
    )
    with pytest.raises(ValidationError) as e:
        make_event(cast, group, clock_item=newsletter)
    assert "clock_item" in e.value.message_dict


def test_student_registers_and_cancels_from_the_page(cast, event, client):
    client.force_login(cast.student)
    page = client.get(reverse("events:event", args=[event.pk])).content.decode()
    assert "Ilmoittaudu" in page or "Register" in page
    assert client.post(reverse("events:register", args=[event.pk])).status_code == 302
    assert Registration.objects.get(event=event, user=cast.student).status == "registered"
    assert client.post(reverse("events:cancel", args=[event.pk])).status_code == 302
    assert Registration.objects.get(event=event, user=cast.student).status == "cancelled"
    client.force_login(cast.adult)
    assert client.post(reverse("events:register", args=[event.pk])).status_code == 404


def test_organiser_records_attendance_on_the_page(cast, event, client):
    reg = actions.register(event, cast.student)
    client.force_login(cast.teacher)  # a member of the organiser group
    url = reverse("events:attendance", args=[event.pk])
    mark = {"list": "1", "attended": [reg.pk], "head_count": ""}
    page = client.get(reverse("events:event", args=[event.pk])).content.decode()
    assert url not in page  # a planned event has no attendance form, but a line that says why
    assert "Osallistujat voi kirjata, kun tapahtuma on alkanut." in page
    refused = client.post(url, mark, follow=True)
    assert "Osallistujat voi kirjata, kun tapahtuma on alkanut." in refused.content.decode()
    reg.refresh_from_db()
    assert not reg.attended
    begin(event, ended=False)
    assert url in client.get(reverse("events:event", args=[event.pk])).content.decode()
    response = client.post(url, mark)
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.attended is True
    client.force_login(cast.student)
    assert client.post(reverse("events:attendance", args=[event.pk])).status_code == 404
