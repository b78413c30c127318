"""The one resolver that answers "may this person do X with this object".

Built from a few primitives: role in a unit on a day, the student's own
account, an active guardianship. Role AND relation, never role alone
(PRODUCT.md "Roles"). Later capabilities add methods here, not elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from opiskeluhuolto.organisation.models import (
    WELFARE_PROFESSIONAL_ROLES,
    Campus,
    Institution,
    Provider,
    Role,
    RoleAssignment,
    Student,
    StudentGroup,
)

from . import facts
from .appointments import AppointmentRules
from .cases import CaseRules
from .communal import CommunalRules
from .communication import CommunicationRules
from .insights import InsightRules
from .organisations import OrganisationRules
from .procedures import ProcedureRules
from .projects import ProjectRules
from .roles import SCHOOL_STAFF_ROLES, STUDENT_DETAIL_ROLES
from .spaces import SpaceRules
from .surveys import SurveyRules


@dataclass(frozen=True)
class Grant:
    """One active role assignment, flattened for cheap checks."""

    role: str
    provider_id: int
    institution_id: int | None
    campus_id: int | None

    def covers_institution(self, institution: Institution) -> bool:
        if self.provider_id != institution.provider_id:
            return False
        return self.institution_id is None or self.institution_id == institution.pk

    def covers_provider(self, provider_id: int) -> bool:
        return self.provider_id == provider_id

    def reaches(self, institution: Institution, campus_id: int | None) -> bool:
        """THE campus rule for student-level data (directory, groups, referrals, appointments).

        A grant reaches the students of its unit: provider-wide grants every institution
        of the provider, an institution grant all its campuses, a grant posted to a campus
        only that campus's students and those with no campus recorded (need to know,
        docs/access-rules.md). `reach_q` is the same rule as a query; a test keeps the two
        in step, and every rule about students uses one of them, never its own copy.
        """
        if not self.covers_institution(institution):
            return False
        return self.campus_id is None or campus_id is None or self.campus_id == campus_id

    def reach_q(self, institution: str = "institution", campus: str = "student__campus") -> Q:
        """`reaches` as a filter: `institution` and `campus` name the object's fields."""
        if self.institution_id is None:
            return Q(**{f"{institution}__provider_id": self.provider_id})
        q = Q(**{f"{institution}_id": self.institution_id})
        if self.campus_id is not None:
            q &= Q(**{f"{campus}_id": self.campus_id}) | Q(**{f"{campus}__isnull": True})
        return q


class Permissions(
    CaseRules,
    AppointmentRules,
    CommunalRules,
    InsightRules,
    SurveyRules,
    ProcedureRules,
    CommunicationRules,
    SpaceRules,
    ProjectRules,
    OrganisationRules,
):
    """Everything one user may do, computed once per request (see `for_user`).

    The domain rules live in the mixins (access/cases.py, appointments.py,
    communal.py, insights.py); this class holds the primitives they build on.
    """

    def __init__(self, user, today: date | None = None):
        self.user = user
        self.today = today or timezone.localdate()
        #: The token the facts were restored under (`access.facts`), or None.
        self.facts_token: int | None = None

    # --- primitives -------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @facts.fact
    def grants(self) -> tuple[Grant, ...]:
        if not self.is_authenticated:
            return ()
        rows = RoleAssignment.objects.filter(user=self.user).valid_on(self.today)
        return tuple(
            Grant(r.role, r.provider_id, r.institution_id, r.campus_id)
            for r in rows.only("role", "provider_id", "institution_id", "campus_id")
        )

    @facts.fact
    def own_student(self) -> Student | None:
        """The person's own student record, with `access_refused`: whether a refusal of
        her own access to all her matters is in force (LAW.md L-GDPR-5,
        `CaseRules.own_access_refused`), and `cases_refused`: whether one of some matters
        is (`CaseRules.own_refused_case_ids`), read in the same query, since the
        register's gate asks both on every read."""
        if not self.is_authenticated:
            return None
        from django.db.models import Exists, OuterRef

        from .models import AccessRestriction

        refused = AccessRestriction.objects.in_force().filter(
            person=OuterRef("user"), student=OuterRef("pk")
        )
        rows = Student.objects.filter(user=self.user).annotate(
            access_refused=Exists(refused.filter(case__isnull=True)),
            cases_refused=Exists(refused.filter(case__isnull=False)),
        )
        return rows.select_related("institution").first()

    @facts.fact
    def guarded_student_ids(self) -> frozenset[int]:
        """Students this person is guardian of while the student is a minor."""
        if not self.is_authenticated:
            return frozenset()
        students = Student.objects.filter(guardianships__guardian=self.user).minors(self.today)
        return frozenset(students.values_list("pk", flat=True))

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.grants)

    def no_roles_note(self) -> list | None:
        """[facts' token, day] when this person holds no role now, None otherwise: what
        signing in keeps in the session (accounts.middleware), so that a request of the
        same day under the same token knows the person is no staff member without reading
        their role assignments (`adopt_no_roles`). The same freshness as the cached facts
        (`access.facts`): any change to a role assignment changes the token."""
        if self.grants or self.facts_token is None:
            return None
        return [self.facts_token, self.today.isoformat()]

    def adopt_no_roles(self, note) -> None:
        """Take `grants` as empty when `note` (from `no_roles_note`) was made under the
        current facts' token on this day; otherwise leave it to be read as usual."""
        if not note or "grants" in self.__dict__:
            return
        if note == [facts.current(self), self.today.isoformat()]:
            self.__dict__.setdefault("grants", ())

    @property
    def is_student(self) -> bool:
        return self.own_student is not None

    @property
    def is_guardian(self) -> bool:
        return bool(self.guarded_student_ids)

    @property
    def is_welfare_professional(self) -> bool:
        return bool(self.roles & WELFARE_PROFESSIONAL_ROLES)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def roles_at(self, institution: Institution) -> frozenset[str]:
        return frozenset(g.role for g in self.grants if g.covers_institution(institution))

    def admin_provider_ids(self) -> frozenset[int]:
        return frozenset(g.provider_id for g in self.grants if g.role == Role.PROVIDER_ADMIN)

    def staff_provider_ids(self) -> frozenset[int]:
        return frozenset(g.provider_id for g in self.grants)

    # --- organisation -----------------------------------------------------
    def is_provider_admin(self, provider: Provider | int | None = None) -> bool:
        ids = self.admin_provider_ids()
        if provider is None:
            return bool(ids)
        return (provider if isinstance(provider, int) else provider.pk) in ids

    def view_institution(self, institution: Institution) -> bool:
        if self.roles_at(institution) or self.is_provider_admin(institution.provider_id):
            return True
        return institution.pk in self.student_institution_ids

    def manage_calendar(self, institution: Institution) -> bool:
        return self.is_provider_admin(institution.provider_id)

    def manage_people(self, provider: Provider | int) -> bool:
        return self.is_provider_admin(provider)

    @facts.fact
    def student_institution_ids(self) -> frozenset[int]:
        ids = set(
            Student.objects.filter(pk__in=self.guarded_student_ids).values_list(
                "institution_id", flat=True
            )
        )
        if self.own_student:
            ids.add(self.own_student.institution_id)
        return frozenset(ids)

    # --- students ---------------------------------------------------------
    # Who sees what of a student is written down in docs/access-rules.md; the
    # distance test (access/tests/test_distance.py) checks every URL against it.
    @property
    def is_school_staff(self) -> bool:
        """Holds a role of the school's own staff (not only an external membership)."""
        return bool(self.roles & SCHOOL_STAFF_ROLES)

    def reaches_student(self, student: Student, roles: frozenset[str] | set[str]) -> bool:
        """Holds one of `roles` in a unit that reaches the student (`Grant.reaches`)."""
        institution = student.institution
        return any(
            g.role in roles and g.reaches(institution, student.campus_id) for g in self.grants
        )

    def _supervises(self, student: Student) -> bool:
        return bool(
            student.group is not None
            and student.group.supervisor_id == getattr(self.user, "pk", None)
        )

    def _own_or_guarded(self, student: Student) -> bool:
        if self.own_student and self.own_student.pk == student.pk:
            return True
        return student.pk in self.guarded_student_ids

    def view_student(self, student: Student) -> bool:
        """The directory entry (name, institution, campus, group, study right): the school's
        staff whose unit reaches the student, the group supervisor, provider admins, the
        student, and a guardian of a minor. Never an external member by that role."""
        if self._own_or_guarded(student) or self._supervises(student):
            return True
        if self.is_provider_admin(student.institution.provider_id):
            return True
        return self.reaches_student(student, SCHOOL_STAFF_ROLES)

    def view_student_details(self, student: Student) -> bool:
        """Date of birth and minority, home municipality, e-mail, phone: the student, a
        guardian of a minor, the group supervisor, provider admins, and principals,
        welfare professionals, study counsellors and special-needs teachers whose unit
        reaches the student. A teacher sees name and group only."""
        if self._own_or_guarded(student) or self._supervises(student):
            return True
        if self.is_provider_admin(student.institution.provider_id):
            return True
        return self.reaches_student(student, STUDENT_DETAIL_ROLES)

    def view_student_guardians(self, student: Student) -> bool:
        """The guardians' names and phones: staff who see the details (the student's and
        guardian's own views show their own data, not the guardian list)."""
        if not self.is_staff_member:
            return False
        if self._supervises(student) or self.is_provider_admin(student.institution.provider_id):
            return True
        return self.reaches_student(student, STUDENT_DETAIL_ROLES)

    def view_student_hetu(self, student: Student) -> bool:
        """The identity code: the student, provider admins and welfare professionals whose
        unit reaches the student."""
        if self.own_student and self.own_student.pk == student.pk:
            return True
        if self.is_provider_admin(student.institution.provider_id):
            return True
        return self.reaches_student(student, WELFARE_PROFESSIONAL_ROLES)

    def students_scope(self) -> QuerySet[Student]:
        """All students `view_student` allows, as a queryset (kept in step by a consistency test)."""
        if not self.is_authenticated:
            return Student.objects.none()
        q = Q(pk__in=self.guarded_student_ids) | Q(group__supervisor=self.user)
        if self.own_student:
            q |= Q(pk=self.own_student.pk)
        for provider_id in self.admin_provider_ids():
            q |= Q(institution__provider_id=provider_id)
        return Student.objects.filter(q | self._reach_q(SCHOOL_STAFF_ROLES)).distinct()

    def _reach_q(self, roles: frozenset[str] | set[str]) -> Q:
        q = Q(pk__in=[])
        for g in self.grants:
            if g.role in roles:
                q |= g.reach_q(campus="campus")
        return q

    def students_reached(self, roles: frozenset[str] | set[str]) -> QuerySet[Student]:
        """The students `reaches_student(student, roles)` allows, as a queryset."""
        return Student.objects.filter(self._reach_q(roles)).distinct()

    def institutions_scope(self) -> QuerySet[Institution]:
        if not self.is_authenticated:
            return Institution.objects.none()
        q = Q(pk__in=self.student_institution_ids)
        for g in self.grants:
            if g.institution_id is None or g.role == Role.PROVIDER_ADMIN:
                q |= Q(provider_id=g.provider_id)
            else:
                q |= Q(pk=g.institution_id)
        return Institution.objects.filter(q).distinct()

    def view_group(self, group: StudentGroup) -> bool:
        """A group and its roster: like the directory (`view_student`), by the group's campus."""
        if group.supervisor_id == getattr(self.user, "pk", None):
            return True
        if self.is_provider_admin(group.institution.provider_id):
            return True
        return any(
            g.role in SCHOOL_STAFF_ROLES and g.reaches(group.institution, group.campus_id)
            for g in self.grants
        )

    def view_campus(self, campus: Campus) -> bool:
        return self.view_institution(campus.institution)


def for_user(user, today: date | None = None) -> Permissions:
    """The user's Permissions, kept on the user object for the request, its facts from the
    cache while they are current (`access.facts`)."""
    if today is not None:
        return Permissions(user, today)
    cached = getattr(user, "_oh_permissions", None)
    if cached is None:
        cached = Permissions(user)
        facts.restore(cached)
        if user is not None:
            user._oh_permissions = cached
    return cached
