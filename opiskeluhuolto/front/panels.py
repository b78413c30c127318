"""The foundation's home panels and navigation. Later capabilities register their own."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.names import possessive
from opiskeluhuolto.organisation.models import Role, RoleAssignment, Student
from opiskeluhuolto.organisation.partners import public_services, services_by_campus

from .registry import home_panel, nav_item, public_section


def welfare_staff_of(institution, campus=None):
    """Welfare staff serving a student: those of the student's campus and institution-wide."""
    today = timezone.localdate()
    rows = (
        RoleAssignment.objects.valid_on(today)
        .at_institution(institution)
        .welfare_staff()
        .select_related("user", "campus", "provider", "employer")
        .order_by("role", "user__last_name")
    )
    if campus is not None:
        rows = rows.filter(Q(campus__isnull=True) | Q(campus=campus))
    return list(rows)


def _student_context(request, can):
    student = can.own_student
    return {
        "student": student,
        "welfare_staff": welfare_staff_of(student.institution, student.campus),
    }


def _guardian_context(request, can):
    """The guardian's home, one section per child ("Ainon asiat"): the bookings the guardian
    may see (`bookings_visible_to`: those the guardian made or asked for; the child's own
    are the child's), the matters the guardian may see, and whom to contact."""
    from opiskeluhuolto.access.appointments import bookings_visible_to
    from opiskeluhuolto.access.cases import cases_visible_to

    children = (
        Student.objects.filter(pk__in=can.guarded_student_ids)
        .select_related("institution", "campus")
        .order_by("first_name", "pk")
    )
    bookings = (
        bookings_visible_to(request.user)
        .active()
        .filter(ends_at__gte=timezone.now())
        .select_related("professional")
        .order_by("starts_at")
    )
    cases = cases_visible_to(request.user).order_by("-opened_on", "-pk")
    language = get_language()
    return {
        "children": [
            {
                "child": c,
                "owner": possessive(c.first_name, language),
                "bookings": [b for b in bookings if b.student_id == c.pk][:5],
                "cases": [k for k in cases if k.student_id == c.pk][:5],
                "staff": welfare_staff_of(c.institution, c.campus),
            }
            for c in children
        ]
    }


def _partner_services_context(request, can):
    """The public services of the organisations working on the campus of the student, or of
    each child of a guardian (issue 20): name, for whom, service hours."""
    students = list(
        Student.objects.filter(pk__in=can.guarded_student_ids).select_related(
            "institution", "campus"
        )
    )
    if can.own_student is not None:
        students.insert(0, can.own_student)
    seen: set[int] = set()
    services = []
    for s in students:
        for service in public_services(s.institution, s.campus):
            if service.pk not in seen:
                seen.add(service.pk)
                services.append(service)
    return {"services": services}


def _staff_context(request, can):
    assignments = (
        RoleAssignment.objects.filter(user=request.user)
        .valid_on(can.today)
        .select_related("provider", "institution", "campus", "employer")
    )
    return {"assignments": assignments, "directory": can.is_school_staff}


def _supervisor_context(request, can):
    groups = request.user.supervised_groups.select_related("institution").order_by("name")
    return {"groups": groups}


def _admin_context(request, can):
    institutions = can.institutions_scope().filter(provider_id__in=can.admin_provider_ids())
    rows = []
    today = can.today
    for inst in institutions.prefetch_related("school_years"):
        current = [y for y in inst.school_years.all() if y.starts_on <= today <= y.ends_on]
        rows.append((inst, current[0] if current else None))
    return {"institution_rows": rows}


home_panel(
    "student_help",
    "front/panels/student_help.html",
    lambda can: can.is_student,
    _student_context,
    order=10,
)
home_panel(
    "guardian_children",
    "front/panels/guardian_children.html",
    lambda can: can.is_guardian,
    _guardian_context,
    order=20,
)
home_panel(
    "staff_roles",
    "front/panels/staff_roles.html",
    lambda can: can.is_staff_member,
    _staff_context,
    order=90,
)
home_panel(
    "supervisor_groups",
    "front/panels/supervisor_groups.html",
    lambda can: can.has_role(Role.GROUP_SUPERVISOR),
    _supervisor_context,
    order=40,
)
home_panel(
    "admin_units",
    "front/panels/admin_units.html",
    lambda can: can.is_provider_admin(),
    _admin_context,
    order=30,
)

home_panel(
    "partner_services",
    "front/panels/partner_services.html",
    lambda can: can.is_student or can.is_guardian,
    _partner_services_context,
    order=25,
)
public_section(
    "partner_services",
    "front/_public_partner_services.html",
    lambda request, inst: {"campuses": services_by_campus(inst)},
    order=45,
)

nav_item(_("Home"), "front:home", lambda can: True, order=0)
nav_item(_("Institutions"), "organisation:institutions", lambda can: can.is_staff_member, order=80)
nav_item(_("Students"), "organisation:students", lambda can: can.is_school_staff, order=85)
nav_item(
    _("Organisations"), "organisation:organisations", lambda can: can.is_staff_member, order=88
)
nav_item(_("Administration"), "admin:index", lambda can: can.is_provider_admin(), order=99)
# The register responsible person reads it too (access.audit); the link is for admins only,
# so that no page pays a query to find out who else is one.
nav_item(_("Audit trail"), "audit:events", lambda can: can.is_provider_admin(), order=98)
