"""Access rules for individual welfare and the welfare register (issue 3): cases, consents,
expert groups, records, disclosures, the access log.

`CaseRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.

LAW.md L-21-2: nobody sees a case except its current expert-group members,
the register responsible person (administration, logged as such), the
student, and the guardian of a minor unless a §18 prohibition is in force
(L-18-1). Being rehtori, teacher or welfare-group member gives nothing.

Models are imported inside functions: this module is loaded with the
`access` app, before the app registry is ready.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access import facts
from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.lib import compiled
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES

from .member_cases import member_cases_sql
from .roles import SCHOOL_STAFF_ROLES

if TYPE_CHECKING:
    from opiskeluhuolto.cases.models import CaseQuerySet

#: The access bases written to the access log (records.AccessLogEntry.Basis).
MEMBERSHIP, REGISTER_ADMIN, OWN_DATA, GUARDIAN = (
    "membership",
    "register_admin",
    "own_data",
    "guardian",
)


class CaseRules(RulePrimitives):
    # --- primitives of this domain ------------------------------------------
    @facts.fact
    def member_case_ids(self) -> frozenset[int]:
        """Cases whose expert group the user belongs to today: `MembershipQuerySet.active_on`
        (begun, not ended, and the user still holds a role at the case's institution or
        provider-wide: LAW.md L-906-4, access ends with the job).

        The register's gate asks this with a fresh resolver on every read, and building the
        ORM query cost ten times more than running it: so the query is compiled from
        `active_on` once per database (`member_cases_sql`) and run as plain SQL."""
        if not self.is_authenticated:
            return frozenset()
        sql, params = member_cases_sql(connection.alias, self.user.pk, self.today)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return frozenset(case_id for (case_id,) in cursor.fetchall())

    @facts.fact
    def responsible_case_ids(self) -> frozenset[int]:
        if not self.is_authenticated:
            return frozenset()
        from opiskeluhuolto.cases.models import ExpertGroupMembership

        rows = ExpertGroupMembership.objects.filter(user=self.user, is_responsible=True)
        return frozenset(rows.active_on(self.today).values_list("case_id", flat=True))

    @facts.fact
    def register_provider_ids(self) -> frozenset[int]:
        """Providers whose welfare register this user administers (LAW.md L-21-1): as its
        register responsible person, or holding, provider-wide, the role the provider named
        for register administration."""
        if not self.is_authenticated:
            return frozenset()
        from opiskeluhuolto.organisation.models import Provider

        q = Q(register_responsible=self.user)
        for g in self.grants:
            if g.institution_id is None:
                q |= Q(pk=g.provider_id, register_admin_role=g.role)
        return frozenset(Provider.objects.filter(q).values_list("pk", flat=True))

    @facts.fact
    def _guardian_blocks(self) -> tuple[frozenset[int], frozenset[int]]:
        """(students whose matters are all closed to this guardian, cases closed one by
        one). All matters are closed by a prohibition covering them (L-18-1), or by a
        refusal of this guardian's access in force (L-GDPR-5, `AccessRestriction`: the
        register responsible person refused the guardian's data request); one case by its
        own prohibition, or by a refusal naming it (the request answered in part)."""
        if not self.guarded_student_ids:
            return frozenset(), frozenset()
        from opiskeluhuolto.cases.models import GuardianProhibition

        from .models import AccessRestriction

        # One query: the prohibitions in force, and this guardian's refusals; a row with
        # no case covers all the student's matters.
        prohibitions = GuardianProhibition.objects.in_force().filter(
            student_id__in=self.guarded_student_ids
        )
        refusals = AccessRestriction.objects.in_force().filter(
            person=self.user, student_id__in=self.guarded_student_ids
        )
        rows = (
            prohibitions.order_by()
            .values_list("student_id", "case_id")
            .union(refusals.order_by().values_list("student_id", "case_id"), all=True)
            .order_by()
        )
        whole, cases = set(), set()
        for student_id, case_id in rows:
            if case_id:
                cases.add(case_id)
            else:
                whole.add(student_id)
        return frozenset(whole), frozenset(cases)

    @property
    def own_access_refused(self) -> bool:
        """L-GDPR-5: the register responsible person refused the student's own access
        (tietosuojalaki 34 §) and the refusal is in force: her welfare matters are closed
        to her as to a guardian under a prohibition covering all of them. Read with the
        own student (`Permissions.own_student`), no query of its own."""
        return bool(getattr(self.own_student, "access_refused", False))

    @facts.fact
    def own_refused_case_ids(self) -> frozenset[int]:
        """L-GDPR-5: the student's own matters withheld from her one by one (her data
        request answered in part), while the refusals are in force. A query only when
        `Permissions.own_student` found such a refusal (`cases_refused`)."""
        student = self.own_student
        if not getattr(student, "cases_refused", False):
            return frozenset()
        from .models import AccessRestriction

        rows = AccessRestriction.objects.in_force().filter(
            person=self.user, student=student, case__isnull=False
        )
        return frozenset(rows.values_list("case_id", flat=True))

    def guardian_may_see_student(self, student_id: int) -> bool:
        """L-18-1: guardian of the minor, and no prohibition covering all the student's
        matters in force, nor a refusal of this guardian's access (L-GDPR-5). Anything about the student's welfare that belongs to no one case
        (a referral that opened none, a consent without a case) is visible on this alone."""
        whole, _cases = self._guardian_blocks
        return student_id in self.guarded_student_ids and student_id not in whole

    def guardian_may_see(self, case) -> bool:
        """L-18-1: guardian of a minor, and no prohibition in force for this case."""
        _whole, cases = self._guardian_blocks
        return self.guardian_may_see_student(case.student_id) and case.pk not in cases

    def is_register_admin(self, provider_id: int | None = None) -> bool:
        if provider_id is None:
            return bool(self.register_provider_ids)
        return provider_id in self.register_provider_ids

    def is_case_member(self, case) -> bool:
        return case.pk in self.member_case_ids

    def _is_own(self, case) -> bool:
        """The student's own case, unless her own access to it, or to all her matters,
        is refused (L-GDPR-5)."""
        return bool(
            self.own_student
            and self.own_student.pk == case.student_id
            and not self.own_access_refused
            and case.pk not in self.own_refused_case_ids
        )

    # --- cases ----------------------------------------------------------------
    def case_basis(self, case) -> str | None:
        """Why this user may see the case, as logged; None when they may not."""
        if self.is_case_member(case):
            return MEMBERSHIP
        if self._is_own(case):
            return OWN_DATA
        if self.guardian_may_see(case):
            return GUARDIAN
        if self.is_register_admin(case.institution.provider_id):
            return REGISTER_ADMIN
        return None

    def view_case(self, case) -> bool:
        return self.case_basis(case) is not None

    def edit_case(self, case) -> bool:
        """Record consents, add members, record a prohibition: a current member of an open case."""
        return case.is_open and self.is_case_member(case)

    def administer_closed_case(self, case) -> bool:
        """LAW.md L-GDPR-3, L-20-2, L-21-1: once a case is closed nobody is a member; the
        provider's register administration decides rectification requests, corrects entries
        and discloses. Each such act is an entry of the record and is logged."""
        return not case.is_open and self.is_register_admin(case.institution.provider_id)

    def manage_case(self, case) -> bool:
        """Close the case: its responsible person (L-19-4)."""
        return case.is_open and case.pk in self.responsible_case_ids

    def write_entries(self, case) -> bool:
        """L-20-4, L-19-3: members under a current consent, while the case is open."""
        return self.edit_case(case)

    def disclose(self, case) -> bool:
        """LAW.md L-22-2: the members of an open case; the register administration once it
        is closed."""
        return self.edit_case(case) or self.administer_closed_case(case)

    def amend_entries(self, case) -> bool:
        return self.write_entries(case) or self.administer_closed_case(case)

    def read_records(self, case) -> str | None:
        """The access basis for reading the case's record (logged by records.reading)."""
        return self.case_basis(case)

    def request_rectification(self, case) -> bool:
        return self._is_own(case) or self.guardian_may_see(case)

    def decide_rectification(self, case) -> bool:
        """The members of an open case; the register administration once it is closed."""
        return self.edit_case(case) or self.administer_closed_case(case)

    def give_own_consent(self, case) -> bool:
        """LAW.md L-19-1..2: the student herself names a further member of her open case's
        expert group (an electronic, identified consent: she is signed in)."""
        student = self.own_student
        return bool(
            case.is_open
            and self._is_own(case)
            and student is not None
            and student.status == student.Status.ACTIVE
        )

    def withdraw_own_consent(self, consent) -> bool:
        """LAW.md L-19-3: the student withdraws any consent about them; a guardian withdraws
        a consent a guardian gave (while they may see the case)."""
        if consent.case is None or consent.withdrawn_at is not None:
            return False
        if self._is_own(consent.case):
            return True
        return consent.given_by == "guardian" and self.guardian_may_see(consent.case)

    # --- referrals --------------------------------------------------------------
    def refer_student(self, student) -> bool:
        """L-16-1: the school's staff whose unit reaches the student (the directory's rule,
        `view_student`), or the group supervisor. An external member has no directory."""
        if self.reaches_student(student, SCHOOL_STAFF_ROLES):
            return True
        return bool(
            student.group_id and student.group.supervisor_id == getattr(self.user, "pk", None)
        )

    def handle_referrals(self, institution, campus_id: int | None = None) -> bool:
        """Welfare professionals of the institution; one posted to a campus handles the
        referrals of that campus's students only (need to know, `Grant.reaches`)."""
        return any(
            g.role in WELFARE_PROFESSIONAL_ROLES and g.reaches(institution, campus_id)
            for g in self.grants
        )

    def handle_referral(self, referral) -> bool:
        return self.handle_referrals(referral.institution, referral.student.campus_id)

    def view_referral(self, referral) -> bool:
        if referral.referred_by_id and referral.referred_by_id == getattr(self.user, "pk", None):
            return True
        return self.handle_referral(referral)

    # --- the access log ---------------------------------------------------------
    def review_access_log(self, provider_id: int) -> bool:
        """L-906-3: the log is for the register responsible person (audit role) only."""
        return self.is_register_admin(provider_id)


def _perm(user):
    from .permissions import for_user

    return for_user(user)


# --- scopes ---------------------------------------------------------------------
def cases_visible_to(user) -> CaseQuerySet:
    """Every case `view_case` allows, as a queryset (kept in step by a consistency test)."""
    from opiskeluhuolto.cases.models import Case

    can = _perm(user)
    if not can.is_authenticated:
        return Case.objects.none()
    whole, blocked_cases = can._guardian_blocks
    q = Q(pk__in=can.member_case_ids) | Q(institution__provider_id__in=can.register_provider_ids)
    if can.own_student and not can.own_access_refused:
        q |= Q(student_id=can.own_student.pk) & ~Q(pk__in=can.own_refused_case_ids)
    guardian = Q(student_id__in=can.guarded_student_ids) & ~Q(student_id__in=whole)
    guardian &= ~Q(pk__in=blocked_cases)
    return Case.objects.filter(q | guardian).distinct()


def member_cases(user) -> CaseQuerySet:
    from opiskeluhuolto.cases.models import Case

    return Case.objects.filter(pk__in=_perm(user).member_case_ids)


def referrals_visible_to(user) -> QuerySet:
    from opiskeluhuolto.cases.models import Referral

    can = _perm(user)
    if not can.is_authenticated:
        return Referral.objects.none()
    q = Q(referred_by=user)
    for g in can.grants:
        if g.role in WELFARE_PROFESSIONAL_ROLES:
            q |= g.reach_q()
    return Referral.objects.filter(q).distinct()


def referral_recipients(student, day: date) -> list:
    """The welfare professionals who receive a referral about `student` on `day`: exactly
    those `handle_referral` lets handle it (`Grant.reaches`: the student's campus, or the
    whole institution or provider), so the referrer is told who will read it. Each person
    once, with the role of their first assignment (role, then name), for display."""
    from opiskeluhuolto.organisation.models import RoleAssignment

    from .permissions import Grant

    rows = (
        RoleAssignment.objects.valid_on(day)
        .welfare_staff()
        .at_institution(student.institution)
        .select_related("user", "campus")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )
    seen: set[int] = set()
    people = []
    for r in rows:
        grant = Grant(r.role, r.provider_id, r.institution_id, r.campus_id)
        if r.user_id in seen or not grant.reaches(student.institution, student.campus_id):
            continue
        seen.add(r.user_id)
        people.append(r)
    return people


# --- fetch-and-check: the object, or Http404 for missing and forbidden alike -------
def _get(model, pk, select: tuple[str, ...] = (), *, compiled_once: bool = False):
    """`model.objects.select_related(*select).get(pk=pk)`, or Http404 for a missing or
    malformed key. With `compiled_once`, its SQL is compiled once (`lib.compiled.get`):
    for the fetches every page of their kind starts with, where compiling cost more than
    the query."""
    try:
        if compiled_once:
            return compiled.get(model, pk, select)
        return model.objects.select_related(*select).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_case(user, pk, *, need: str = "view", request=None):
    """The case, or Http404. With `request`, a student or guardian (`case_basis` own data
    or guardian) must be strongly identified (`identification.require_for_basis`)."""
    from opiskeluhuolto.cases.models import Case

    from .identification import require_for_basis

    case = _get(
        Case,
        pk,
        ("student", "institution__provider", "student__institution", "student__campus"),
        compiled_once=True,
    )
    can = _perm(user)
    allowed = {
        "view": can.view_case,
        "edit": can.edit_case,
        "manage": can.manage_case,
        "write": can.write_entries,
        "disclose": can.disclose,
        "rectify": can.request_rectification,
        "own_consent": can.give_own_consent,
    }[need](case)
    if not allowed:
        raise Http404
    if request is not None:
        require_for_basis(request, can.case_basis(case))
    return case


def get_referral(user, pk, *, need: str = "view"):
    from opiskeluhuolto.cases.models import Referral

    referral = _get(Referral, pk, ("student", "institution", "referred_by"))
    can = _perm(user)
    allowed = {
        "view": can.view_referral,
        "handle": can.handle_referral,
    }[need](referral)
    if not allowed:
        raise Http404
    return referral


def get_student_to_refer(user, pk):
    from opiskeluhuolto.organisation.models import Student

    student = _get(Student, pk, ("institution", "group"))
    if not _perm(user).refer_student(student):
        raise Http404
    return student


def get_consent(user, pk):
    """A consent of a case the user may edit (to record its withdrawal)."""
    from opiskeluhuolto.cases.models import Consent

    consent = _get(Consent, pk, ("case", "case__institution", "student"))
    if consent.case is None or not _perm(user).edit_case(consent.case):
        raise Http404
    return consent


def get_membership_without_role(user, pk):
    """An open membership whose person no longer holds a role at the institution, for the
    case's responsible person to end (LAW.md L-906-4)."""
    from opiskeluhuolto.cases.models import ExpertGroupMembership

    membership = _get(ExpertGroupMembership, pk, ("case", "case__institution", "user"))
    can = _perm(user)
    without_role = ExpertGroupMembership.objects.filter(pk=membership.pk).without_role_on(can.today)
    if not can.manage_case(membership.case) or not without_role.exists():
        raise Http404
    return membership


def get_own_consent(user, pk):
    """A consent the student (or the consenting guardian) may withdraw themselves."""
    from opiskeluhuolto.cases.models import Consent

    consent = _get(Consent, pk, ("case", "case__institution", "student"))
    if not _perm(user).withdraw_own_consent(consent):
        raise Http404
    return consent


def get_prohibition(user, pk):
    """A prohibition in force that the user may lift: a member of a case of that student."""
    from opiskeluhuolto.cases.models import Case, GuardianProhibition

    prohibition = _get(GuardianProhibition, pk, ("student", "case"))
    can = _perm(user)
    cases = (
        [prohibition.case]
        if prohibition.case_id
        else Case.objects.filter(student_id=prohibition.student_id)
    )
    if prohibition.lifted_at is not None or not any(can.edit_case(c) for c in cases):
        raise Http404
    return prohibition


def get_entry(user, pk, *, need: str = "write"):
    """A record entry the user may amend: a member of the open case, or the register
    administration of a closed one."""
    from opiskeluhuolto.records.models import RecordEntry

    entry = _get(RecordEntry, pk, ("record__case", "record__case__institution"))
    if need != "write" or not _perm(user).amend_entries(entry.record.case):
        raise Http404
    return entry


def get_rectification(user, pk):
    from opiskeluhuolto.records.models import RectificationRequest

    req = _get(RectificationRequest, pk, ("record__case", "record__case__institution"))
    if not _perm(user).decide_rectification(req.record.case):
        raise Http404
    return req
