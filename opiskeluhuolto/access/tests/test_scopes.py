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
