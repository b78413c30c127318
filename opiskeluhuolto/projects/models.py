"""Development projects (seed 004, Luksia's project): goals and measures linked to the
plan's indicators, whose values at the start and the end are the project's results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider


class Project(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the project works; its results are the campus's values."),
    )
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partners = models.TextField(_("partners"), blank=True, help_text=_("One a line."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("development project")
        verbose_name_plural = _("development projects")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="projects_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.partners.splitlines() if p.strip()]


class Goal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("goal"), max_length=300)
    measures = models.TextField(_("measures"), blank=True, help_text=_("One a line."))
    indicator = models.ForeignKey(
        "meetings.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("project goal")
        verbose_name_plural = _("project goals")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    def measure_list(self) -> list[str]:
        return [m.strip() for m in self.measures.splitlines() if m.strip()]
