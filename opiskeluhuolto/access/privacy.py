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


def _as_guardian(user, student, rows: QuerySet, narrow, withheld) -> QuerySet:
    """The one gate of every scope: the student herself gets `rows` (nothing while her
    own access is refused, L-GDPR-5; without the matters withheld from her one by one,
    `withheld(rows)`); a guardian nothing under a prohibition covering all the student's
    matters or a refusal of their access (`guardian_may_see_student`), else
    `narrow(rows)`, the scope's own limits, which leave out the matters closed to them
    one by one."""
    can = for_user(user)
    if not acts_as_guardian(user, student):
        if can.own_access_refused:
            return rows.none()
        return withheld(rows) if can.own_refused_case_ids else rows
    if not can.guardian_may_see_student(student.pk):
        return rows.none()
    return narrow(rows)


def _hidden_cases(user, student) -> QuerySet:
    """The student's cases the user (a guardian, or the student with matters withheld
    from her) may not see: `cases_visible_to`, the one rule (`CaseRules.guardian_may_see`,
    `CaseRules._is_own`), read the other way round."""
    from opiskeluhuolto.cases.models import Case

    from .cases import cases_visible_to

    visible = cases_visible_to(user).filter(student=student).values("pk")
    return Case.objects.filter(student=student).exclude(pk__in=visible)


def _hidden_referrals(user, student) -> QuerySet:
    """Referrals that opened a case the guardian may not see (a per-case prohibition
    covers the matter from its first contact)."""
    from opiskeluhuolto.cases.models import Referral

    return Referral.objects.filter(student=student, cases__in=_hidden_cases(user, student))


def referrals(user, student) -> QuerySet:
    """A guardian sees the contacts they made or were told about, of the matters they may
    see: none under a prohibition covering all matters, not the one of a barred case."""
    from opiskeluhuolto.cases.models import Referral

    def withheld(rows):
        return rows.exclude(pk__in=_hidden_referrals(user, student).values("pk"))

    return _as_guardian(
        user,
        student,
        Referral.objects.filter(student=student),
        lambda rows: withheld(
            rows.filter(
                Q(referred_by=user) | Q(guardian_notice=Referral.GuardianNotice.SENT)
            ).exclude(channel=Referral.Channel.SELF)
        ),
        withheld,
    )


def consents(user, student) -> QuerySet:
    """A guardian sees the consents of the cases they may see, and those they gave that
    belong to no case; nothing under a prohibition covering all matters."""
    from opiskeluhuolto.cases.models import Consent

    from .cases import cases_visible_to

    def narrow(rows):
        visible = cases_visible_to(user).filter(student=student).values("pk")
        return rows.filter(Q(case_id__in=visible) | Q(case__isnull=True, guardian=user))

    def withheld(rows):
        return rows.exclude(case_id__in=_hidden_cases(user, student).values("pk"))

    rows = Consent.objects.filter(student=student)
    return _as_guardian(user, student, rows, narrow, withheld)


def prohibitions(user, student) -> QuerySet:
    from opiskeluhuolto.cases.models import GuardianProhibition

    rows = GuardianProhibition.objects.filter(student=student)
    return rows.none() if acts_as_guardian(user, student) else rows


def appointment_requests(user, student) -> QuerySet:
    """A guardian's own requests, unless a prohibition covers all matters or the request
    became the discussion of a barred case's referral."""
    from .appointments import requests_visible_to

    def withheld(rows):
        return rows.exclude(referral__in=_hidden_referrals(user, student))

    rows = requests_visible_to(user).filter(student=student)
    return _as_guardian(user, student, rows, withheld, withheld)


def bookings(user, student) -> QuerySet:
    """The times of the requests a guardian may see (`appointment_requests`), and those
    they booked themselves, on the same terms."""
    from .appointments import bookings_visible_to

    def withheld(rows):
        return rows.exclude(request__referral__in=_hidden_referrals(user, student))

    rows = bookings_visible_to(user).filter(student=student)
    return _as_guardian(user, student, rows, withheld, withheld)


def visible_case_ids(user, student) -> set[int] | None:
    """The cases whose reads a guardian may see in the log; None for the student (all,
    as on "who has read my data", also while her access to the contents is refused)."""
    from .cases import cases_visible_to

    if not acts_as_guardian(user, student):
        return None
    return set(cases_visible_to(user).filter(student=student).values_list("pk", flat=True))


def prohibition_in_force(student, *, whole: bool) -> bool:
    """Whether the minor's prohibition (L-18-1) is in force: one covering all matters
    (`whole`), or any. A data request refused on OHL 18 § 2 rests on it (L-GDPR-5)."""
    from opiskeluhuolto.cases.models import GuardianProhibition

    if whole:
        return GuardianProhibition.objects.covering(student).exists()
    return GuardianProhibition.objects.in_force().filter(student=student).exists()


def own_refusals(user, students) -> dict[int, str]:
    """The refusals of the user's own access in force, per student (L-GDPR-5): "whole"
    where all the student's matters are refused, "part" where some are; what the copy
    leaves out, told on "my data"."""
    from .models import AccessRestriction

    rows = AccessRestriction.objects.in_force().filter(person=user, student__in=students)
    refused: dict[int, str] = {}
    for student_id, case_id in rows.values_list("student_id", "case_id"):
        if case_id is None:
            refused[student_id] = "whole"
        else:
            refused.setdefault(student_id, "part")
    return refused


def restrictions_in_force(user) -> QuerySet:
    """The refusals of access in force that the user may end: the register responsible
    person's (administration) of the student's provider (L-GDPR-5, L-21-1)."""
    from .models import AccessRestriction

    ids = for_user(user).register_provider_ids
    return AccessRestriction.objects.in_force().filter(student__institution__provider_id__in=ids)


def get_restriction(user, pk):
    """A refusal of access in force the user may end; else 404."""
    row = restrictions_in_force(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise Http404
    return row
