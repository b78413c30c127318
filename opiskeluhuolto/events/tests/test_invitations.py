"""An event's invitation reaches everyone its audience rule counts, once, in their language."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from opiskeluhuolto.access import audiences, for_user
from opiskeluhuolto.announcements import actions as announcements
from opiskeluhuolto.announcements.models import Delivery
from opiskeluhuolto.events import actions
from opiskeluhuolto.organisation import actions as org

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _send(cast, draft, capture):
    with capture(execute=True):
        announcements.schedule(draft, by=cast.rehtori)
    return Counter(Delivery.objects.filter(announcement=draft).values_list("user_id", flat=True))


def test_everyone_means_students_guardians_and_staff_once_each(
    cast, group, django_capture_on_commit_callbacks
):
    org.link_guardian(cast.onni, cast.teacher)  # the teacher is also a guardian of a minor
    announcements.set_language(cast.guardian, "sv")
    announcements.set_language(cast.student, "en")
    event = make_event(cast, group, audience="everyone")  # the lukio's Etu-Töölö campus
    draft = actions.invite(event, by=cast.rehtori)
    assert draft.audience == "everyone"
    delivered = _send(cast, draft, django_capture_on_commit_callbacks)

    students = {cast.student}
    guardians = {cast.guardian, cast.guardian_onni, cast.teacher}
    staff = {cast.admin, cast.rehtori, cast.kuraattori, cast.psykologi, cast.nurse}
    staff |= {cast.teacher, cast.supervisor}
    expected = students | guardians | staff
    assert set(delivered) == {u.pk for u in expected}
    assert set(delivered.values()) == {1}  # the teacher, guardian and staff, gets one
    addressed = Counter(address for m in mail.outbox for address in m.to)
    assert addressed == Counter(u.email for u in expected)
    for outside in (cast.adult, cast.kuraattori_out, cast.external, cast.outsider):
        assert outside.pk not in delivered

    # Through the one audience rule: the members of the event's audience, each of whom
    # may also see the event.
    members = audiences.members(audiences.of_event(event), cast.today)
    assert set(members) == expected
    assert all(for_user(u).view_event(event) for u in expected)

    # Each in their language (Finnish where the event has no translation).
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[cast.guardian.email] == "Rörlig rast"
    assert subjects[cast.student.email] == "Liikkuva välitunti"  # no English title
    assert subjects[cast.nurse.email] == "Liikkuva välitunti"
    languages = dict(Delivery.objects.filter(announcement=draft).values_list("user_id", "language"))
    assert languages[cast.guardian.pk] == "sv" and languages[cast.student.pk] == "en"


def test_everyone_of_another_campus_leaves_this_campus_out(
    cast, group, django_capture_on_commit_callbacks
):
    """The campus narrows students and guardians; the institution's staff serve them all."""
    from opiskeluhuolto.organisation.models import Campus

    other = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    event = make_event(cast, group, audience="everyone", campuses=[other])
    delivered = _send(
        cast, actions.invite(event, by=cast.rehtori), django_capture_on_commit_callbacks
    )
    for person in (cast.student, cast.guardian, cast.guardian_onni):
        assert person.pk not in delivered
    assert cast.rehtori.pk in delivered and cast.nurse.pk in delivered
    assert set(delivered.values()) == {1}


@pytest.mark.parametrize("kind", ["students", "guardians", "staff", "everyone"])
def test_each_audience_kind_is_invited_as_the_rule_says(cast, group, kind):
    event = make_event(cast, group, audience=kind)
    draft = actions.invite(event, by=cast.rehtori)
    from opiskeluhuolto.announcements import audience

    got = set(audience.recipients(draft, cast.today))
    assert got == set(audiences.members(audiences.of_event(event), cast.today))
    assert got  # every kind reaches somebody in the cast
