"""List scopes and object predicates come from the same rules: they may never drift apart."""

import pytest

from opiskeluhuolto.access import for_user
from opiskeluhuolto.organisation.models import Institution, Student
from opiskeluhuolto.testing.cast import MEMBERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("member", [m for m in MEMBERS if m != "anonymous"])
def test_student_scope_equals_the_predicate(cast, member):
    can = for_user(cast.member(member))
    scope = set(can.students_scope().values_list("pk", flat=True))
    for student in Student.objects.all():
        assert (student.pk in scope) == can.view_student(student), (member, student.full_name)


@pytest.mark.parametrize("member", [m for m in MEMBERS if m != "anonymous"])
def test_institution_scope_equals_the_predicate(cast, member):
    can = for_user(cast.member(member))
    scope = set(can.institutions_scope().values_list("pk", flat=True))
    for inst in Institution.objects.all():
        assert (inst.pk in scope) == can.view_institution(inst), (member, inst.name)


def test_anonymous_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    can = for_user(AnonymousUser())
    assert not can.students_scope().exists()
    assert not can.institutions_scope().exists()
    assert not can.view_student(cast.aino)


def test_expired_role_gives_nothing(cast):
    from datetime import timedelta

    from opiskeluhuolto.organisation.models import RoleAssignment

    RoleAssignment.objects.filter(user=cast.teacher).update(
        valid_until=cast.today - timedelta(days=1)
    )
    can = for_user(cast.teacher)
    assert not can.is_staff_member
    assert not can.view_student(cast.aino)


def test_role_alone_is_not_enough_across_providers(cast):
    can = for_user(cast.outsider)  # a kuraattori, but of another provider
    assert can.is_welfare_professional
    assert not can.view_student(cast.aino)
    assert not can.view_institution(cast.lukio)


def test_member_case_ids_agree_with_active_memberships_on_every_day(cast):
    """`member_case_ids` runs SQL compiled from `active_on`: a membership counts from its
    first day and up to the day before `ended_on`."""
    from datetime import timedelta

    from opiskeluhuolto.access.permissions import Permissions
    from opiskeluhuolto.cases.models import ExpertGroupMembership
    from opiskeluhuolto.cases.tests.story import onni_prohibited_case, open_aino_case

    today = cast.today
    aino = open_aino_case(cast)
    onni = onni_prohibited_case(cast)
    other = open_aino_case(cast, members=[cast.kuraattori])
    rows = ExpertGroupMembership.objects.filter(user=cast.kuraattori)
    rows.filter(case=onni).update(ended_on=today)  # ends today: no longer a member today
    rows.filter(case=other).update(started_on=today + timedelta(days=1), ended_on=None)
    ExpertGroupMembership.objects.filter(user=cast.supervisor, case=aino).update(
        ended_on=today + timedelta(days=1)
    )
    for member in (cast.kuraattori, cast.supervisor, cast.student):
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            active = ExpertGroupMembership.objects.filter(user=member).active_on(day)
            expected = frozenset(active.values_list("case_id", flat=True))
            assert Permissions(member, day).member_case_ids == expected, (member, day)
    assert Permissions(cast.kuraattori, today).member_case_ids == {aino.pk}
    assert Permissions(cast.supervisor, today).member_case_ids == {aino.pk}
    assert Permissions(cast.supervisor, today + timedelta(days=1)).member_case_ids == set()


def test_member_case_ids_follow_a_condition_added_to_active_on(cast, monkeypatch):
    """One definition: a condition added to `MembershipQuerySet.active_on` reaches the
    register's gate without touching `access` (here: only responsible members count)."""
    from opiskeluhuolto.access import member_cases
    from opiskeluhuolto.access.permissions import Permissions
    from opiskeluhuolto.cases.models import MembershipQuerySet
    from opiskeluhuolto.cases.tests.story import open_aino_case

    aino = open_aino_case(cast)
    assert Permissions(cast.supervisor, cast.today).member_case_ids == {aino.pk}
    original = MembershipQuerySet.active_on
    monkeypatch.setattr(
        MembershipQuerySet,
        "active_on",
        lambda self, day: original(self, day).filter(is_responsible=True),
    )
    member_cases._compiled_member_cases.cache_clear()
    try:
        assert Permissions(cast.supervisor, cast.today).member_case_ids == set()
        assert Permissions(cast.kuraattori, cast.today).member_case_ids == {aino.pk}
    finally:
        member_cases._compiled_member_cases.cache_clear()


def test_the_campus_rule_and_its_query_agree(cast):
    """`Grant.reaches` and `Grant.reach_q` are one rule (docs/access-rules.md): for grants at
    every kind of unit and students on every campus (or none), both say the same."""
    from opiskeluhuolto.access.permissions import Grant
    from opiskeluhuolto.organisation import actions
    from opiskeluhuolto.organisation.models import Campus

    campus2 = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    actions.enrol_student(
        institution=cast.lukio,
        campus=campus2,
        first_name="T",
        last_name="K",
        date_of_birth=cast.aino.date_of_birth,
    )
    actions.enrol_student(
        institution=cast.lukio,
        first_name="E",
        last_name="K",
        date_of_birth=cast.aino.date_of_birth,
    )
    p, op = cast.provider.pk, cast.other_provider.pk
    grants = [
        Grant("teacher", p, None, None),
        Grant("teacher", p, cast.lukio.pk, None),
        Grant("teacher", p, cast.lukio.pk, cast.lukio_campus.pk),
        Grant("teacher", p, cast.lukio.pk, campus2.pk),
        Grant("teacher", p, cast.amis.pk, cast.amis_campus.pk),
        Grant("teacher", op, cast.other_institution.pk, None),
    ]
    students = Student.objects.select_related("institution")
    for grant in grants:
        reached = set(
            Student.objects.filter(grant.reach_q(campus="campus")).values_list("pk", flat=True)
        )
        for student in students:
            assert (student.pk in reached) == grant.reaches(
                student.institution, student.campus_id
            ), (
                grant,
                student.first_name,
            )
