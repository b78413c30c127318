"""Access rules for Appointments (issue 4): availability, requests, bookings, compliance reports.

`AppointmentRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.

Role AND relation: a professional sees the requests and bookings of their own
service (kuraattori, psykologi, terveydenhoitaja, lääkäri) at an institution
where they hold that role, or those assigned to them. A student sees their
own; a guardian sees only what that guardian asked for and the times given
for it (a minor's own requests are theirs: LAW.md L-18-2, §18(3)). Principals and provider admins
see aggregates only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import (
    WELFARE_PROFESSIONAL_ROLES,
    Institution,
    Role,
    Student,
)

if TYPE_CHECKING:
    from opiskeluhuolto.appointments.models import (
        AppointmentRequest,
        AppointmentRequestQuerySet,
        Availability,
        AvailabilityException,
        Booking,
        BookingQuerySet,
        GroupWork,
    )


class AppointmentRules(RulePrimitives):
    # --- primitives of this domain ---------------------------------------------
    def _user_id(self) -> int | None:
        return getattr(self.user, "pk", None) if self.is_authenticated else None

    def welfare_institution_ids(self) -> frozenset[int]:
        """Institutions where this person works as a welfare professional (institution grants)."""
        ids = set()
        for g in self.grants:
            if g.role in WELFARE_PROFESSIONAL_ROLES:
                if g.institution_id is not None:
                    ids.add(g.institution_id)
                else:
                    ids.update(
                        Institution.objects.filter(provider_id=g.provider_id).values_list(
                            "pk", flat=True
                        )
                    )
        return frozenset(ids)

    def _staff_handles(self, obj, service: str) -> bool:
        """A request or booking (`obj.institution`, `obj.student`, `obj.professional_id`):
        the professional it is assigned to, or one holding that service's role in a unit
        that reaches the student. The campus rule is `Grant.reaches`, the same function
        referrals use, so a kuraattori posted to a campus handles that campus's students
        only (docs/access-rules.md)."""
        uid = self._user_id()
        if uid is None:
            return False
        if (
            obj.professional_id == uid
            and self.roles_at(obj.institution) & WELFARE_PROFESSIONAL_ROLES
        ):
            return True
        campus_id = obj.student.campus_id
        return any(g.role == service and g.reaches(obj.institution, campus_id) for g in self.grants)

    # --- requests ------------------------------------------------------------------
    def view_appointment_request(self, req: AppointmentRequest) -> bool:
        if self._staff_handles(req, req.service):
            return True
        if self.own_student and self.own_student.pk == req.student_id:
            return True
        return (
            req.student_id in self.guarded_student_ids
            and req.requested_by_user_id == self._user_id()
        )

    def write_request_message(self, req: AppointmentRequest) -> bool:
        """A message about a request: whoever sees it (the student, the guardian who asked,
        the service's professionals); a professional writes as the staff."""
        return self.view_appointment_request(req)

    def manage_appointment_request(self, req: AppointmentRequest) -> bool:
        """Assess urgency, give a time, close with a reason: the professionals of that service."""
        return self._staff_handles(req, req.service)

    def request_appointment_for(self, student: Student) -> bool:
        """A student for themselves, a guardian for a minor child; no approval from anyone."""
        if self.own_student and self.own_student.pk == student.pk:
            return student.status == Student.Status.ACTIVE
        return student.pk in self.guarded_student_ids

    def record_appointment_request(self, student: Student) -> bool:
        """A welfare professional whose unit reaches the student records a request made by
        phone, in person or by others."""
        return self.reaches_student(student, WELFARE_PROFESSIONAL_ROLES)

    def book_own_appointment(self) -> bool:
        student = self.own_student
        return student is not None and student.status == Student.Status.ACTIVE

    # --- bookings ------------------------------------------------------------------
    def view_booking(self, booking: Booking) -> bool:
        if self._staff_handles(booking, booking.service):
            return True
        if self.own_student and self.own_student.pk == booking.student_id:
            return True
        if booking.student_id not in self.guarded_student_ids:
            return False
        uid = self._user_id()
        # A guardian sees the times they booked, or that were given for their own request.
        return booking.booked_by_id == uid or bool(
            booking.request is not None and booking.request.requested_by_user_id == uid
        )

    def change_booking(self, booking: Booking) -> bool:
        """Cancel or move: the student themselves, or the professionals of that service."""
        if self._staff_handles(booking, booking.service):
            return True
        return bool(self.own_student and self.own_student.pk == booking.student_id)

    def set_booking_meeting(self, booking: Booking) -> bool:
        """How the meeting is held (in person, phone, remote with a link): the professionals
        of that service; the student asks by a message."""
        return self._staff_handles(booking, booking.service)

    # --- availability and reports -----------------------------------------------
    def manage_own_availability(self) -> bool:
        return self.is_welfare_professional

    def view_compliance(self, institution: Institution) -> bool:
        """Aggregates of an institution: its principal, its welfare professionals, provider admin."""
        if self.is_provider_admin(institution.provider_id):
            return True
        return bool(self.roles_at(institution) & (WELFARE_PROFESSIONAL_ROLES | {Role.PRINCIPAL}))

    def view_provider_compliance(self, provider_id: int) -> bool:
        if self.is_provider_admin(provider_id):
            return True
        return any(
            g.provider_id == provider_id and g.institution_id is None and g.role == Role.PRINCIPAL
            for g in self.grants
        )

    def view_visit_statistics(self, institution: Institution) -> bool:
        """The kuraattori's and psychologist's visit statistics of an institution: the same
        readers as the compliance figures (aggregates only)."""
        return self.view_compliance(institution)

    def visit_statistics_exact_services(self, institution: Institution) -> frozenset[str]:
        """The services whose small cells this person sees unhidden: those they work in at
        the institution (they see the individuals of that service)."""
        return self.roles_at(institution) & frozenset({Role.SOCIAL_WORKER, Role.PSYCHOLOGIST})

    def record_group_work(self, institution: Institution) -> frozenset[str]:
        """The services in which this person records group and communal work there."""
        return self.visit_statistics_exact_services(institution)

    def compliance_individual_access(self, institution: Institution) -> bool:
        """Welfare professionals of the institution may see small cells (they see the requests)."""
        return bool(self.roles_at(institution) & WELFARE_PROFESSIONAL_ROLES)


# --- scopes ------------------------------------------------------------------------
def _staff_q(can) -> Q:
    """`_staff_handles` as a filter, through the same `Grant.reach_q`."""
    q = Q(professional_id=can._user_id())
    for g in can.grants:
        if g.role in WELFARE_PROFESSIONAL_ROLES:
            q |= g.reach_q() & Q(service=g.role)
    return q


def own_student_only(can) -> int | None:
    """The student's key when `requests_visible_to` and `bookings_visible_to` are exactly
    the rows of one student (`student_id = key`): a signed-in student who is no guardian
    and no welfare professional. Then a page may run that filter as a query compiled once
    (`lib.compiled.rows`); otherwise None, and the scopes below decide."""
    if (
        not can.is_authenticated
        or can.own_student is None
        or can.guarded_student_ids
        or can.is_welfare_professional
    ):
        return None
    return can.own_student.pk


def requests_visible_to(user) -> AppointmentRequestQuerySet:
    """Every request `view_appointment_request` allows, as a queryset."""
    from opiskeluhuolto.appointments.models import AppointmentRequest

    from .permissions import for_user

    q = requests_q(for_user(user))
    return AppointmentRequest.objects.none() if q is None else AppointmentRequest.objects.filter(q)


def requests_q(can) -> Q | None:
    """`requests_visible_to` as a filter (None: nothing), for a page that compiles its
    query once per shape of the filter (`lib.compiled.filtered`)."""
    if not can.is_authenticated:
        return None
    q = Q(student_id__in=can.guarded_student_ids, requested_by_user_id=can._user_id())
    if can.own_student:
        q |= Q(student_id=can.own_student.pk)
    if can.is_welfare_professional:
        q |= _staff_q(can)
    return q


def bookings_visible_to(user) -> BookingQuerySet:
    from opiskeluhuolto.appointments.models import Booking

    from .permissions import for_user

    q = bookings_q(for_user(user))
    return Booking.objects.none() if q is None else Booking.objects.filter(q)


def bookings_q(can) -> Q | None:
    """`bookings_visible_to` as a filter (None: nothing), as `requests_q`."""
    if not can.is_authenticated:
        return None
    # A guardian's branch only for a guardian: built for no students it matched nothing
    # but still joined the requests into every query (planned on each staff work list).
    q = (
        Q(student_id__in=can.guarded_student_ids)
        & (Q(booked_by_id=can._user_id()) | Q(request__requested_by_user_id=can._user_id()))
        if can.guarded_student_ids
        else Q(pk__in=[])
    )
    if can.own_student:
        q |= Q(student_id=can.own_student.pk)
    if can.is_welfare_professional:
        q |= _staff_q(can)
    return q


# --- fetch-and-check ---------------------------------------------------------------
def get_appointment_request(user, pk, *, need: str = "view") -> AppointmentRequest:
    """The request, or Http404 for missing and forbidden alike."""
    from opiskeluhuolto.appointments.models import AppointmentRequest

    from .permissions import for_user

    try:
        req = AppointmentRequest.objects.select_related(
            "student", "institution", "professional"
        ).get(pk=pk)
    except (AppointmentRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can = for_user(user)
    check = {
        "view": can.view_appointment_request,
        "manage": can.manage_appointment_request,
        "message": can.write_request_message,
    }[need]
    if not check(req):
        raise Http404
    return req


def get_booking(user, pk, *, need: str = "view") -> Booking:
    from opiskeluhuolto.appointments.models import Booking

    from .permissions import for_user

    try:
        booking = Booking.objects.select_related(
            "student", "institution", "professional", "request"
        ).get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can = for_user(user)
    check = {
        "view": can.view_booking,
        "change": can.change_booking,
        "meeting": can.set_booking_meeting,
    }[need]
    if not check(booking):
        raise Http404
    return booking


def get_own_availability(user, pk) -> Availability:
    from opiskeluhuolto.appointments.models import Availability

    try:
        return Availability.objects.get(pk=pk, professional_id=getattr(user, "pk", None))
    except (Availability.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_own_exception(user, pk) -> AvailabilityException:
    from opiskeluhuolto.appointments.models import AvailabilityException

    try:
        return AvailabilityException.objects.get(pk=pk, professional_id=getattr(user, "pk", None))
    except (AvailabilityException.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_own_group_work(user, pk) -> GroupWork:
    from opiskeluhuolto.appointments.models import GroupWork

    try:
        return GroupWork.objects.get(pk=pk, professional_id=getattr(user, "pk", None))
    except (GroupWork.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_compliance_institution(user, pk) -> Institution:
    from .permissions import for_user

    try:
        inst = Institution.objects.select_related("provider").get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not for_user(user).view_compliance(inst):
        raise Http404
    return inst
