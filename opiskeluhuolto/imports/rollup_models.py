"""Rollups of whole school years for the dashboards (issue 21; docs/knowledge-management.md,
Storage), next to `models.MonthlyAbsence` and `models.YearlyPresence`. A module of their
own only to keep `models.py` short; the models are Django's as usual."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, StudentGroup

from .models import AbsenceCounts, UnitQuerySet


def _unit(model, *, null: bool):
    on_delete = models.SET_NULL if null else models.CASCADE
    return models.ForeignKey(
        model, null=null, on_delete=on_delete, related_name="+", db_index=False, db_constraint=False
    )


class YearlyAbsence(AbsenceCounts):
    """Rollup: `MonthlyAbsence` summed over a school year per institution × campus × group.

    Answers for a period whose months include every month of the year with monthly
    rows in scope (the dashboards' periods: August to today, with no marks after today,
    or the whole last year): a twelfth of the rows to sum. Maintained with
    `MonthlyAbsence`.
    """

    year = models.PositiveSmallIntegerField(_("school year"))
    institution = _unit(Institution, null=False)
    campus = _unit(Campus, null=True)
    group = _unit(StudentGroup, null=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly absence rollup")
        verbose_name_plural = _("yearly absence rollups")
        indexes = [
            models.Index(fields=["institution", "year"], name="imports_yearly_inst_idx"),
            models.Index(fields=["campus", "year"], name="imports_yearly_campus_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class PresenceCount(models.Model):
    """Rollup: how many students who stayed in one unit all school year (`YearlyPresence`
    rows not `moved`) share a month mask, per year × institution × campus × group.

    Each such student is one row of one unit, so distinct students over any months of
    one school year add up here; the movers are counted from `YearlyPresence`.
    """

    year = models.PositiveSmallIntegerField(_("school year"))
    institution = _unit(Institution, null=False)
    campus = _unit(Campus, null=True)
    group = _unit(StudentGroup, null=True)
    months = models.PositiveIntegerField(default=0)
    students = models.PositiveIntegerField(default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("presence count rollup")
        verbose_name_plural = _("presence count rollups")
        indexes = [
            models.Index(fields=["institution", "year"], name="imports_pcount_inst_idx"),
            models.Index(fields=["campus", "year"], name="imports_pcount_campus_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year}"
