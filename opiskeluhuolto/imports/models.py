"""Imports of rosters, attendance and study progress, and the compact attendance store.

Attendance is ordinary student-administration data, not welfare-register data
(LAW.md L-ABS-6): nothing here reads from or links to cases or records.

Storage for scale (ARCHITECTURE.md "Scale by design"): one `AttendanceDay` row
per student × day holding that day's lesson marks as packed integers (mark code,
course) under a composite primary key, and `WeeklyAbsence`, a summary per student
× ISO week that the import refreshes for the weeks it touched and that every
dashboard and early-warning rule reads.
"""

from __future__ import annotations

import uuid

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Student, StudentGroup


class AbsenceClass(models.TextChoices):
    """The national absence classes (../shared/data/absence-classes.md) plus presence."""

    PRESENT = "present", _("present")
    HEALTH = "health", _("health reasons")
    LEAVE = "leave", _("leave applied for in advance")
    EXCUSED = "excused", _("other explained absence")
    UNEXPLAINED = "unexplained", _("unexplained absence")
    LATE = "late", _("late arrival")
    SCHOOL_ACTIVITY = "school_activity", _("school activity")


#: Classes that make a lesson an absence (late arrivals and school tasks do not).
ABSENT_CLASSES = (
    AbsenceClass.HEALTH,
    AbsenceClass.LEAVE,
    AbsenceClass.EXCUSED,
    AbsenceClass.UNEXPLAINED,
)

#: Default Wilma-style codes (absence-classes.md), installed for an institution on first use.
DEFAULT_MARK_CODES: tuple[tuple[str, str, str], ...] = (
    ("+", AbsenceClass.PRESENT, "Läsnä"),
    ("S", AbsenceClass.HEALTH, "Sairaus / terveydellinen syy"),
    ("T", AbsenceClass.HEALTH, "Terveydenhoitaja / lääkäri"),
    ("L", AbsenceClass.LEAVE, "Ennalta anottu vapaa"),
    ("H", AbsenceClass.EXCUSED, "Muu hyväksytty poissaolo"),
    ("X", AbsenceClass.UNEXPLAINED, "Selvittämätön poissaolo"),
    ("O", AbsenceClass.UNEXPLAINED, "Luvaton poissaolo"),
    ("M", AbsenceClass.LATE, "Myöhästyminen"),
    ("K", AbsenceClass.SCHOOL_ACTIVITY, "Koulun toimintaan liittyvä"),
)


class MarkCode(models.Model):
    """One institution's attendance mark code and the absence class it means."""

    id = models.SmallAutoField(primary_key=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="mark_codes",
    )
    code = models.CharField(_("code"), max_length=10)
    absence_class = models.CharField(
        _("absence class"), max_length=20, choices=AbsenceClass.choices
    )
    label = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("mark code")
        verbose_name_plural = _("mark codes")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"], name="imports_markcode_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_absence_class_display()})"


class Course(models.Model):
    """A course code as the student information system names it (created by imports)."""

    id = models.AutoField(primary_key=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"], name="imports_course_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AttendanceDay(models.Model):
    """The lesson marks of one student on one day: the compact store (3.7 M rows a year
    for 20,000 students, where one row per lesson would be 21.7 M).

    `codes` holds one little-endian 16-bit mark code id per lesson slot (lesson 1
    first; 0 = no mark), up to the last lesson marked that day; `courses` holds the
    course ids of the same slots as 32-bit integers (0 = none). The key (student,
    day) makes two marks for the same lesson impossible by construction, and one
    index entry per day instead of per lesson is what lets a year import at close to
    the speed of a raw COPY (bench/README.md). Read the marks with `lessons()`.

    The foreign key carries no database constraint (the import has checked every
    student against the same table); deletes still cascade through Django's collector.
    """

    pk = models.CompositePrimaryKey("student_id", "day")
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the primary key (student, day) serves it
        db_constraint=False,
    )
    day = models.DateField(_("day"))
    codes = models.BinaryField(_("mark codes"))
    courses = models.BinaryField(_("courses"))

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")

    def __str__(self) -> str:
        return f"{self.day}"

    def lessons(self) -> list[tuple[int, int, int | None]]:
        """(lesson, mark code id, course id or None) for every marked lesson."""
        codes = np.frombuffer(bytes(self.codes), "<i2").tolist()
        courses = np.frombuffer(bytes(self.courses), "<i4").tolist()
        return [
            (n, code, course or None)
            for n, (code, course) in enumerate(zip(codes, courses, strict=True), start=1)
            if code
        ]


def count_marks(**filters) -> int:
    """How many lesson marks the stored days hold (tests and small reports)."""
    return sum(
        len(d.lessons()) for d in AttendanceDay.objects.filter(**filters).only("codes", "courses")
    )


def unit_key(model, *, null: bool):
    """A derived table's key to a student or a unit (institution, campus, group): no
    index of its own (the table's composite indexes serve it) and no database constraint
    (derived data, rewritten by the imports; see `WeeklyAbsence`)."""
    on_delete = models.SET_NULL if null else models.CASCADE
    return models.ForeignKey(
        model, null=null, on_delete=on_delete, related_name="+", db_index=False, db_constraint=False
    )


class UnitQuerySet(models.QuerySet):
    def for_units(self, institution_ids, campus_ids):
        """Rows of whole institutions plus rows of single campuses (a campus-level grant)."""
        return self.filter(Q(institution_id__in=institution_ids) | Q(campus_id__in=campus_ids))


class WeeklyAbsenceQuerySet(UnitQuerySet):
    def between(self, start, end) -> WeeklyAbsenceQuerySet:
        return self.filter(week__gte=start, week__lte=end)


class WeeklyAbsence(models.Model):
    """Lessons per absence class for one student in one ISO week (Monday in `week`).

    Refreshed by every import for the (student, week) pairs it touched. Campus and
    group are the student's at refresh time, so history keeps its unit.
    Derived data, rewritten by imports: its keys carry no database constraint
    (see AttendanceDay). `marked_days` and `absent_days` are bit masks (bit 0 = Monday): days with any
    mark, and days on which every marked lesson was an absence.
    """

    pk = models.CompositePrimaryKey("student_id", "week")
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the primary key (student, week) serves it
        db_constraint=False,
    )
    week = models.DateField(_("week (Monday)"))
    institution = unit_key(Institution, null=False)
    campus = unit_key(Campus, null=True)
    group = unit_key(StudentGroup, null=True)
    lessons = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    health = models.PositiveIntegerField(default=0)
    leave = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    unexplained = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    school_activity = models.PositiveIntegerField(default=0)
    marked_days = models.PositiveSmallIntegerField(default=0)
    absent_days = models.PositiveSmallIntegerField(default=0)

    objects = WeeklyAbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly absence summary")
        verbose_name_plural = _("weekly absence summaries")
        indexes = [
            models.Index(fields=["institution", "week"], name="imports_weekly_inst_idx"),
            models.Index(fields=["campus", "week"], name="imports_weekly_campus_idx"),
            models.Index(fields=["group", "week"], name="imports_weekly_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week}"

    @property
    def absent(self) -> int:
        return self.health + self.leave + self.excused + self.unexplained


class AbsenceCounts(models.Model):
    """The summed lessons per absence class of a rollup row (see `WeeklyAbsence`)."""

    lessons = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    health = models.PositiveIntegerField(default=0)
    leave = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    unexplained = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    school_activity = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class StudyProgress(models.Model):
    """Credits done against the personal plan on a day (HOKS / study plan), from imports."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateField(_("as of"))
    credits_planned = models.PositiveIntegerField(_("credits planned by now"))
    credits_done = models.PositiveIntegerField(_("credits done"))

    class Meta:
        verbose_name = _("study progress")
        verbose_name_plural = _("study progress")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "as_of"], name="imports_studyprogress_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.as_of}: {self.credits_done}/{self.credits_planned}"


class StudyRightEvent(models.Model):
    """An interruption or resignation of a study right (LAW.md L-ABS-5: a status, not an absence)."""

    class Kind(models.TextChoices):
        INTERRUPTED = "interrupted", _("studies interrupted")
        RESIGNED = "resigned", _("resigned")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    campus = models.ForeignKey(Campus, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("study right event")
        verbose_name_plural = _("study right events")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "kind", "starts_on"], name="imports_studyrightevent_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "starts_on"], name="imports_sre_inst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"


class ImportRunQuerySet(models.QuerySet):
    def for_providers(self, provider_ids) -> ImportRunQuerySet:
        return self.filter(institution__provider_id__in=provider_ids)


class ImportRun(models.Model):
    """One import of one file: its status, progress and line-numbered error report."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("attendance marks")
        ROSTER = "roster", _("roster")
        PROGRESS = "progress", _("study progress")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("imported")
        FAILED = "failed", _("rejected")
        DUPLICATE = "duplicate", _("already imported")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    phase = models.CharField(max_length=20, blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    rows_read = models.BigIntegerField(default=0)
    rows_written = models.BigIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "sha256"], name="imports_run_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.DUPLICATE)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.bytes_total:
            return 0
        # Reading is most of the work; writing and summarising take the last tenth.
        share = 90 * self.bytes_done // self.bytes_total
        return int(min(99, share + (5 if self.phase in ("writing", "summarising") else 0)))


# The dashboards' rollups live in their own module (module size).
from .rollup_models import (  # noqa: E402
    MonthlyAbsence,
    MonthlyCampusAbsence,
    PresenceCount,
    YearlyAbsence,
    YearlyPresence,
)

__all__ = [
    "MonthlyAbsence",
    "MonthlyCampusAbsence",
    "PresenceCount",
    "YearlyAbsence",
    "YearlyPresence",
]
