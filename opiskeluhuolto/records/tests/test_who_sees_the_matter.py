"""The case page tells the student and her guardian truthfully who sees the matter
(LAW.md L-18-1): a minor's guardians see it unless a prohibition covers it."""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access.guardians import guardians_may_see_case
from opiskeluhuolto.cases.tests.story import prohibit_guardian

pytestmark = pytest.mark.django_db

ONLY_YOU = "sen näkevät vain sinä ja sinua auttava opiskeluhuollon henkilöstö"
YOU_AND_GUARDIANS = "sen näkevät vain sinä, huoltajasi ja sinua auttava"


def page(user, case) -> str:
    client = Client()
    client.force_login(user)
    r = client.get(reverse("records:case", args=[case.pk]))
    assert r.status_code == 200
    return r.text


def test_a_minor_is_told_her_guardians_see_her_matter(cast, case):
    assert guardians_may_see_case(case, cast.today)
    text = page(cast.student, case)
    assert YOU_AND_GUARDIANS in text and ONLY_YOU not in text


def test_the_guardian_is_told_whose_matter_it_is(cast, case):
    text = page(cast.guardian, case)
    name = case.student.first_name
    assert f"sen näkevät vain {name}, hänen huoltajansa ja häntä auttava" in text
    assert ONLY_YOU not in text and YOU_AND_GUARDIANS not in text


def test_under_a_prohibition_only_the_student_and_the_staff_see_it(cast, case):
    prohibit_guardian(cast, cast.aino)
    assert not guardians_may_see_case(case, cast.today)
    text = page(cast.student, case)
    assert ONLY_YOU in text and YOU_AND_GUARDIANS not in text


def test_an_adult_students_guardians_see_nothing(cast, case):
    eighteen = case.student.date_of_birth.replace(year=case.student.date_of_birth.year + 18)
    assert not guardians_may_see_case(case, eighteen)


def test_the_guardian_is_offered_the_students_reads_not_her_own(cast, case):
    text = page(cast.guardian, case)
    name = case.student.first_name
    button = 'hds-button__label">Kuka on lukenut '
    assert f"{button}{name}n tietoja" in text and f"{button}tietojani" not in text
    assert f"{button}tietojani" in page(cast.student, case)


def test_when_her_only_guardians_access_is_refused_she_is_not_told_he_sees_it(cast, case):
    from opiskeluhuolto.access.models import AccessRestriction, Ground

    assert list(case.student.guardianships.values_list("guardian", flat=True)) == [cast.guardian.pk]
    AccessRestriction.objects.create(
        student=cast.aino, person=cast.guardian, ground=Ground.HEALTH, recorded_by=cast.rehtori
    )
    assert not guardians_may_see_case(case, cast.today)
    assert ONLY_YOU in page(cast.student, case)
