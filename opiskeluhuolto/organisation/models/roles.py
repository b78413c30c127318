"""Roles and who holds them where: the assignments `access` reads to decide."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .units import Campus, Institution, Provider


class Role(models.TextChoices):
    PROVIDER_ADMIN = "provider_admin", _("provider admin")
    PRINCIPAL = "principal", _("principal / head of unit")
    SOCIAL_WORKER = "social_worker", _("school social worker (kuraattori)")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    NURSE = "nurse", _("school nurse (terveydenhoitaja)")
    DOCTOR = "doctor", _("doctor")
    STUDY_COUNSELLOR = "study_counsellor", _("study counsellor")
    SPECIAL_NEEDS_TEACHER = "special_needs_teacher", _("special-needs teacher")
    GROUP_SUPERVISOR = "group_supervisor", _("group supervisor")
    TEACHER = "teacher", _("teacher")
    #: Luksia's yhteisökoordinaattori: communal work (events, announcements, the campus's
    #: spaces), never individual welfare (docs/access-rules.md).
    COMMUNITY_COORDINATOR = "community_coordinator", _("community coordinator")
    EXTERNAL_MEMBER = "external_member", _("external group member")


WELFARE_PROFESSIONAL_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.PSYCHOLOGIST, Role.NURSE, Role.DOCTOR}
)


class RoleAssignmentQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> RoleAssignmentQuerySet:
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def at_institution(self, institution: Institution) -> RoleAssignmentQuerySet:
        """Assignments in the institution, its campuses, or provider-wide."""
        return self.filter(
            Q(institution=institution)
            | Q(institution__isnull=True, provider_id=institution.provider_id)
        )

    def welfare_staff(self) -> RoleAssignmentQuerySet:
        return self.filter(role__in=WELFARE_PROFESSIONAL_ROLES)

    def employed_by(self, employer: Organisation | None) -> RoleAssignmentQuerySet:
        """Assignments whose employer is the organisation, or (None) the provider itself."""
        if employer is None:
            return self.filter(employer__isnull=True)
        return self.filter(employer=employer)


class RoleAssignment(models.Model):
    """Person × unit × role × validity. The unit is the provider, an institution or a campus."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    employer = models.ForeignKey(
        "Organisation",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        help_text=_(
            "Who employs the person in this role, e.g. the wellbeing county for a kuraattori "
            "or a psychologist. Empty: the provider itself."
        ),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(campus__isnull=True) | Q(institution__isnull=False),
                name="organisation_roleassignment_campus_needs_institution",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="organisation_roleassignment_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_from"], name="org_roleassign_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"

    @property
    def unit(self) -> Provider | Institution | Campus:
        return self.campus or self.institution or self.provider

    @property
    def employer_name(self) -> str:
        """The employing organisation, or the provider itself (the default)."""
        return self.employer.name if self.employer is not None else self.provider.name

    def clean(self) -> None:
        if (
            self.institution is not None
            and self.provider_id
            and self.institution.provider_id != self.provider_id
        ):
            raise ValidationError(
                {"institution": _("The institution belongs to another provider.")}
            )
        if self.campus is not None and self.campus.institution_id != self.institution_id:
            raise ValidationError({"campus": _("The campus belongs to another institution.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The role must not end before it starts.")})
        if (
            self.employer is not None
            and self.provider_id
            and self.employer.provider_id != self.provider_id
        ):
            raise ValidationError(
                {"employer": _("The employer must be an organisation of the same provider.")}
            )
