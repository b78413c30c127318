"""Who gets a copy of whose data, and what it holds (LAW.md L-GDPR-3, L-GDPR-4, L-18-1).

The data subject is the student; a guardian of a minor acts for them, but sees only what
a guardian may see of the welfare matters: no matter under a §18 prohibition, no
prohibition itself, no contact the guardian was not told about, no request or booking the
minor made alone (L-18-2). Every scope here is a queryset built from the same rules as
the pages; the fetch answers 404 for missing and forbidden alike.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .permissions import for_user


def data_subjects(user) -> list:
    """The students whose data the user may ask a copy of: themselves, their minor children."""
    from opiskeluhuolto.organisation.models import Student

    can = for_user(user)
    ids = set(can.guarded_student_ids)
    if can.own_student:
        ids.add(can.own_student.pk)
    return list(
        Student.objects.filter(pk__in=ids)
        .select_related("institution", "institution__provider", "group")
        .order_by("first_name", "pk")
    )


def get_data_subject(user, pk):
    """The student, when the user is that student or a guardian of the minor; else 404."""
    for student in data_subjects(user):
        if str(student.pk) == str(pk):
            return student
    raise Http404


def acts_as_guardian(user, student) -> bool:
    can = for_user(user)
    return not (can.own_student and can.own_student.pk == student.pk)


def _whole_block(user, student) -> bool:
    can = for_user(user)
    whole, _cases = can._guardian_blocks
    return student.pk in whole


def referrals(user, student) -> QuerySet:
    from opiskeluhuolto.cases.models import Referral

    rows = Referral.objects.filter(student=student)
    if not acts_as_guardian(user, student):
        return rows
    if _whole_block(user, student):
        return rows.none()
    return rows.filter(
        Q(referred_by=user) | Q(guardian_notice=Referral.GuardianNotice.SENT)
    ).exclude(channel=Referral.Channel.SELF)


def consents(user, student) -> QuerySet:
    from opiskeluhuolto.cases.models import Consent

    from .cases import cases_visible_to

    rows = Consent.objects.filter(student=student)
    if not acts_as_guardian(user, student):
        return rows
    visible = cases_visible_to(user).filter(student=student).values("pk")
    return rows.filter(Q(case_id__in=visible) | Q(guardian=user))


def prohibitions(user, student) -> QuerySet:
    from opiskeluhuolto.cases.models import GuardianProhibition

    rows = GuardianProhibition.objects.filter(student=student)
    return rows.none() if acts_as_guardian(user, student) else rows


def appointment_requests(user, student) -> QuerySet:
    from .appointments import requests_visible_to

    return requests_visible_to(user).filter(student=student)


def bookings(user, student) -> QuerySet:
    from .appointments import bookings_visible_to

    return bookings_visible_to(user).filter(student=student)


def visible_case_ids(user, student) -> set[int] | None:
    """The cases whose reads a guardian may see in the log; None for the student (all)."""
    from .cases import cases_visible_to

    if not acts_as_guardian(user, student):
        return None
    return set(cases_visible_to(user).filter(student=student).values_list("pk", flat=True))
