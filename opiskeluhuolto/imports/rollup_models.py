"""The dashboards' rollups of the weekly summaries (issue 21; docs/knowledge-management.md,
Storage): by month, by school year, and who was present in which months. A module of
their own only to keep `models.py` short; the models are Django's as usual, imported
from `models` too."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Student, StudentGroup

from .models import AbsenceCounts, UnitQuerySet, unit_key


class MonthlyAbsence(AbsenceCounts):
    """Rollup: the weekly summaries of one month × institution × campus × group.

    The month of a week is the month of its Monday. `students` counts the distinct
    students with a weekly row in the cell. Rewritten by every attendance import for
    the (institution, month) cells it touched, in the import's transaction
    (`store.refresh_rollups`); `rebuild_absence_rollups` rewrites all of it.
    Derived data: keys carry no database constraint (see `WeeklyAbsence`).
    """

    month = models.DateField(_("month"))
    institution = unit_key(Institution, null=False)
    campus = unit_key(Campus, null=True)
    group = unit_key(StudentGroup, null=True)
    students = models.PositiveIntegerField(default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly absence rollup")
        verbose_name_plural = _("monthly absence rollups")
        indexes = [
            models.Index(fields=["institution", "month"], name="imports_monthly_inst_idx"),
            models.Index(fields=["campus", "month"], name="imports_monthly_campus_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class MonthlyCampusAbsence(AbsenceCounts):
    """Rollup: the weekly summaries of one month × institution × campus (groups merged).

    Its own table because distinct students do not add up over groups (a student
    who changed group within the month is one student of the campus). Maintained
    with `MonthlyAbsence`.
    """

    month = models.DateField(_("month"))
    institution = unit_key(Institution, null=False)
    campus = unit_key(Campus, null=True)
    students = models.PositiveIntegerField(default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly campus absence rollup")
        verbose_name_plural = _("monthly campus absence rollups")
        indexes = [
            models.Index(fields=["institution", "month"], name="imports_mcampus_inst_idx"),
            models.Index(fields=["campus", "month"], name="imports_mcampus_campus_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class YearlyPresence(models.Model):
    """Rollup: in which months of a school year a student had weekly rows in one unit.

    One row per student × school year (`year` = the calendar year of its August) ×
    institution × campus × group; bit k of `months` is month k of the school year
    (bit 0 = August). Distinct students over several months, which the monthly
    rollups cannot add up, are counted here. Maintained with `MonthlyAbsence`.
    """

    student = unit_key(Student, null=False)
    year = models.PositiveSmallIntegerField(_("school year"))
    institution = unit_key(Institution, null=False)
    campus = unit_key(Campus, null=True)
    group = unit_key(StudentGroup, null=True)
    months = models.PositiveIntegerField(default=0)
    # The student has more than one row in this year and institution (changed campus
    # or group): counted here, not in `PresenceCount`.
    moved = models.BooleanField(default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly presence rollup")
        verbose_name_plural = _("yearly presence rollups")
        indexes = [
            models.Index(fields=["institution", "year"], name="imports_presence_inst_idx"),
            models.Index(fields=["campus", "year"], name="imports_presence_campus_idx"),
            models.Index(
                fields=["institution", "year"],
                condition=Q(moved=True),
                name="imports_moved_inst_idx",
            ),
            models.Index(
                fields=["campus", "year"], condition=Q(moved=True), name="imports_moved_campus_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class YearlyAbsence(AbsenceCounts):
    """Rollup: `MonthlyAbsence` summed over a school year per institution × campus × group.

    Answers for a period whose months include every month of the year with monthly
    rows in scope (the dashboards' periods: August to today, with no marks after today,
    or the whole last year): a twelfth of the rows to sum. Maintained with
    `MonthlyAbsence`.
    """

    year = models.PositiveSmallIntegerField(_("school year"))
    institution = unit_key(Institution, null=False)
    campus = unit_key(Campus, null=True)
    group = unit_key(StudentGroup, null=True)

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
    institution = unit_key(Institution, null=False)
    campus = unit_key(Campus, null=True)
    group = unit_key(StudentGroup, null=True)
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
