"""Access rules for procedures, safety records and incidents (issue 17).

Procedures are communal content: the school staff of the procedure's unit read the
staff ones; students and guardians read those meant for them at their institution;
principals (and provider admins) of the unit manage them.

Incidents about students are confidential: the person handling one (routed to them)
and the principal (rehtori) whose unit reaches the incident's campus see it, not all
staff. A reporter sees only that the report went through. Every read is logged
through the register's gate (`incidents.reads`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import Institution, Role

from .roles import SCHOOL_STAFF_ROLES

if TYPE_CHECKING:
    from opiskeluhuolto.incidents.models import Incident
    from opiskeluhuolto.procedures.models import Procedure, SafetyRecord


class _Probe:
    """The fields of a procedure not yet created that the rules read."""

    def __init__(self, provider_id, institution_id, campus_id, group):
        self.provider_id = provider_id
        self.institution_id = institution_id
        self.campus_id = campus_id
        self.owner_group_id = group.pk
        self.owner_group = group


class ProcedureRules(RulePrimitives):
    # Defined by CaseRules, beside this class in the one Permissions object.
    refer_student: Callable[[Any], bool]

    def _covers_unit(self, obj, roles) -> bool:
        """Holds one of `roles` in a unit that covers `obj`'s provider/institution/campus."""
        for g in self.grants:
            if g.role not in roles or g.provider_id != obj.provider_id:
                continue
            if g.institution_id is None:
                return True
            if obj.institution_id is None:
                continue  # a provider-wide object: institution staff read it below
            if g.institution_id != obj.institution_id:
                continue
            if g.campus_id is None or obj.campus_id is None or g.campus_id == obj.campus_id:
                return True
        return False

    def view_procedure(self, procedure: Procedure) -> bool:
        audience = set(procedure.audience)
        if "public" in audience:
            return True
        if self.is_provider_admin(procedure.provider_id):
            return True
        staff = any(
            g.role in SCHOOL_STAFF_ROLES and g.provider_id == procedure.provider_id
            for g in self.grants
        )
        if staff and (
            procedure.institution_id is None or self._covers_unit(procedure, SCHOOL_STAFF_ROLES)
        ):
            return True
        institution_ids = set()
        if "students" in audience and self.own_student is not None:
            institution_ids.add(self.own_student.institution_id)
        if "guardians" in audience:
            institution_ids |= set(self.student_institution_ids_guarded())
        if not institution_ids:
            return False
        if procedure.institution_id is None:
            return Institution.objects.filter(
                pk__in=institution_ids, provider_id=procedure.provider_id
            ).exists()
        return procedure.institution_id in institution_ids

    def read_procedure_version(self, version) -> bool:
        """A version and its attachments: a published one with its procedure (the same
        audience), a draft only by those who manage the procedure."""
        if version.published_at is None:
            return self.manage_procedure(version.procedure)
        return self.view_procedure(version.procedure)

    def student_institution_ids_guarded(self) -> set[int]:
        from opiskeluhuolto.organisation.models import Student

        return set(
            Student.objects.filter(pk__in=self.guarded_student_ids).values_list(
                "institution_id", flat=True
            )
        )

    def _owner_group_staff(self, procedure: Procedure | _Probe) -> bool:
        """A staff member (chair, secretary, member) of the procedure's owner group who
        holds a school-staff role at its provider: the group writes its procedures."""
        uid = getattr(self.user, "pk", None)
        if uid is None or not any(
            g.role in SCHOOL_STAFF_ROLES and g.provider_id == procedure.provider_id
            for g in self.grants
        ):
            return False
        role = self.group_roles.get(procedure.owner_group_id)
        return role in {"chair", "secretary", "member"} or procedure.owner_group.chair_id == uid

    def manage_procedure(self, procedure: Procedure) -> bool:
        """Writing, approving and publishing versions: the owner group's staff members, the
        principal (rehtori) whose unit covers the procedure, provider admins."""
        if self.is_provider_admin(procedure.provider_id):
            return True
        if self._owner_group_staff(procedure):
            return True
        if procedure.institution_id is None:
            return any(
                g.role == Role.PRINCIPAL
                and g.provider_id == procedure.provider_id
                and g.institution_id is None
                for g in self.grants
            )
        return self._covers_unit(procedure, {Role.PRINCIPAL})

    def create_procedure(
        self, provider_id: int, institution_id: int | None, campus_id: int | None, group
    ) -> bool:
        """A new procedure of a unit, owned by `group` (a group of the same provider): the
        principal whose unit covers it (a provider-wide one for the provider's), provider
        admins, the staff members of the owner group."""
        if group is None or group.provider_id != provider_id:
            return False
        if self.is_provider_admin(provider_id):
            return True
        if self._owner_group_staff(_Probe(provider_id, institution_id, campus_id, group)):
            return True
        return any(
            g.role == Role.PRINCIPAL
            and g.provider_id == provider_id
            and (g.institution_id is None or g.institution_id == institution_id)
            and (g.campus_id is None or g.campus_id == campus_id)
            for g in self.grants
        )

    def procedures_scope(self) -> QuerySet[Procedure]:
        from opiskeluhuolto.procedures.models import Procedure

        if not self.is_authenticated:
            return Procedure.objects.none()
        candidates = Procedure.objects.filter(
            Q(provider_id__in={g.provider_id for g in self.grants})
            | Q(provider__institutions__in=self._own_institution_ids())
        ).distinct()
        return Procedure.objects.filter(pk__in=[p.pk for p in candidates if self.view_procedure(p)])

    def _own_institution_ids(self) -> set[int]:
        ids = self.student_institution_ids_guarded()
        if self.own_student is not None:
            ids.add(self.own_student.institution_id)
        return ids

    # --- safety records ---------------------------------------------------------
    def view_safety_record(self, record: SafetyRecord) -> bool:
        campus = record.campus
        return self.is_provider_admin(campus.institution.provider_id) or any(
            g.role in SCHOOL_STAFF_ROLES and g.reaches(campus.institution, campus.pk)
            for g in self.grants
        )

    def record_safety(self, campus) -> bool:
        """Recording a drill or safety walk of a campus: the principal reaching it, provider
        admins, and the school staff of the campus who sit in one of its groups (the
        campus safety group, the campus welfare group)."""
        if self.is_provider_admin(campus.institution.provider_id):
            return True
        reaching = [
            g
            for g in self.grants
            if g.role in SCHOOL_STAFF_ROLES and g.reaches(campus.institution, campus.pk)
        ]
        if any(g.role == Role.PRINCIPAL for g in reaching):
            return True
        if not reaching:
            return False
        from opiskeluhuolto.meetings.models import Group

        return (
            Group.objects.filter(campus_id=campus.pk)
            .filter(Q(pk__in=list(self.group_roles)) | Q(chair=self.user))
            .exists()
        )

    def manage_safety_record(self, record: SafetyRecord) -> bool:
        """Adding corrective actions and marking them done: whoever may record the campus's
        drills (its principal, admins, the campus groups' staff members)."""
        return self.record_safety(record.campus)

    def safety_campuses(self) -> QuerySet:
        """The campuses this person may record drills of (the form's choices)."""
        from opiskeluhuolto.organisation.models import Campus

        if not self.is_authenticated:
            return Campus.objects.none()
        q = Q(pk__in=[])
        for g in self.grants:
            wide = g.role in SCHOOL_STAFF_ROLES and g.institution_id is None
            if g.role == Role.PROVIDER_ADMIN or wide:
                q |= Q(institution__provider_id=g.provider_id)
            elif g.role in SCHOOL_STAFF_ROLES and g.campus_id is None:
                q |= Q(institution_id=g.institution_id)
            elif g.role in SCHOOL_STAFF_ROLES:
                q |= Q(pk=g.campus_id)
        candidates = Campus.objects.filter(q).select_related("institution")
        return Campus.objects.filter(
            pk__in=[c.pk for c in candidates if self.record_safety(c)]
        ).select_related("institution")

    def safety_records_scope(self) -> QuerySet[SafetyRecord]:
        """The drills and safety walks of the campuses this person's school-staff roles
        reach (all of the provider's for its admins)."""
        from opiskeluhuolto.procedures.models import SafetyRecord

        if not self.is_authenticated:
            return SafetyRecord.objects.none()
        q = Q(pk__in=[])
        for g in self.grants:
            if g.role == Role.PROVIDER_ADMIN:
                q |= Q(campus__institution__provider_id=g.provider_id)
            elif g.role in SCHOOL_STAFF_ROLES:
                q |= g.reach_q(institution="campus__institution", campus="campus")
        return SafetyRecord.objects.filter(q)

    def mark_corrective_action(self, action) -> bool:
        """Its owner, or whoever manages the record (the principal of the campus)."""
        uid = getattr(self.user, "pk", None)
        return (uid is not None and action.owner_id == uid) or self.manage_safety_record(
            action.record
        )

    # --- incidents ----------------------------------------------------------------
    def report_incident(self) -> bool:
        """Any school staff member reports what they saw (the campus is checked by the action)."""
        return any(g.role in SCHOOL_STAFF_ROLES for g in self.grants)

    def view_incident(self, incident: Incident) -> bool:
        """The handler it was routed to, and the principal whose unit reaches its campus."""
        uid = getattr(self.user, "pk", None)
        if uid is not None and incident.handler_id == uid:
            return True
        return any(
            g.role == Role.PRINCIPAL and g.reaches(incident.institution, incident.campus_id)
            for g in self.grants
        )

    manage_incident = view_incident

    def refer_from_incident(self, incident: Incident, student) -> bool:
        """A referral made from an incident: its handler (or the principal) who may also
        refer that student under the referral rule (`refer_student`, L-16-1)."""
        return self.manage_incident(incident) and self.refer_student(student)

    def incidents_scope(self) -> QuerySet[Incident]:
        from opiskeluhuolto.incidents.models import Incident

        if not self.is_authenticated:
            return Incident.objects.none()
        q = Q(handler=self.user)
        for g in self.grants:
            if g.role == Role.PRINCIPAL:
                q |= g.reach_q(campus="campus")
        return Incident.objects.filter(q)

    def view_incident_summary(self, institution: Institution) -> bool:
        """The suppressed counts: school staff of the institution (no one is identifiable)."""
        if self.is_provider_admin(institution.provider_id):
            return True
        return bool(self.roles_at(institution) & SCHOOL_STAFF_ROLES)
