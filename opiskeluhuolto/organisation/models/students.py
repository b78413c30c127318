"""Student groups, students and their guardians."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib import hetu as hetu_lib

from .units import Campus, Institution


class StudentGroup(models.Model):
    """A teaching group (ryhmä) with its group supervisor (ryhmänohjaaja / vastuuohjaaja)."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="groups",
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    name = models.CharField(_("name"), max_length=50)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("group supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_groups",
    )

    class Meta:
        verbose_name = _("student group")
        verbose_name_plural = _("student groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="organisation_studentgroup_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def validate_hetu(value: str) -> None:
    try:
        hetu_lib.parse(value)
    except hetu_lib.HetuError as e:
        messages = {
            "format": _("Enter the personal identity code as DDMMYYCZZZQ, e.g. 010106A987U."),
            "date": _("The personal identity code has a date that does not exist."),
            "individual": _("The individual number of the identity code must be 002–999."),
            "checksum": _(
                "The check character of the personal identity code is wrong. "
                "Check the code for typing errors."
            ),
        }
        raise ValidationError(messages[e.code], code=f"hetu_{e.code}") from None


def validate_oppijanumero(value: str) -> None:
    """Oppijanumero: an OID 1.2.246.562.24.<11 digits> (LAW.md L-IF-2)."""
    import re

    if not re.fullmatch(r"1\.2\.246\.562\.24\.\d{11}", value or ""):
        raise ValidationError(
            _("The national learner id has the form 1.2.246.562.24.12345678901."),
            code="oppijanumero",
        )


class StudentQuerySet(models.QuerySet):
    def active(self) -> StudentQuerySet:
        return self.filter(status=Student.Status.ACTIVE)

    def in_group(self, group: StudentGroup) -> StudentQuerySet:
        return self.filter(group=group)

    def minors(self, on: date) -> StudentQuerySet:
        """Students under 18 on the given day."""
        try:
            cutoff = on.replace(year=on.year - 18)
        except ValueError:  # 29 February
            cutoff = on.replace(year=on.year - 18, day=28)
        return self.filter(date_of_birth__gt=cutoff)


class Student(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("studying")
        INTERRUPTED = "interrupted", _("studies interrupted")
        RESIGNED = "resigned", _("resigned")
        GRADUATED = "graduated", _("graduated")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="students",
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="students",
    )
    group = models.ForeignKey(
        StudentGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    hetu = models.CharField(
        _("personal identity code"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_hetu],
    )
    oppijanumero = models.CharField(
        _("national learner id"),
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_oppijanumero],
    )
    home_municipality = models.CharField(_("home municipality"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("study right"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["institution", "last_name"], name="org_student_inst_name_idx"),
            # What the work lists read of each student joined to a request or booking
            # (the campus rule's `campus_id`, the names shown): the join is answered from
            # this index alone, without visiting the table (issue 21, item 3; bench/README.md
            # "The staff work list's joins to the students"). Key columns rather than
            # INCLUDE, so SQLite builds the same index.
            models.Index(
                fields=["id", "campus", "last_name", "first_name"],
                name="org_student_id_campus_name_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_minor(self, on: date | None = None) -> bool:
        """Under 18 on the given day (default today): decides guardian rights."""
        return self.age_on(on or timezone.localdate()) < 18

    def clean(self) -> None:
        if self.hetu:
            self.hetu = self.hetu.strip().upper()
            try:
                parsed = hetu_lib.parse(self.hetu)
            except hetu_lib.HetuError:
                return  # the field validator reports it
            if self.date_of_birth and parsed.birth_date != self.date_of_birth:
                raise ValidationError(
                    {"hetu": _("The identity code does not match the date of birth.")}
                )
        if (
            self.group is not None
            and self.institution_id
            and self.group.institution_id != self.institution_id
        ):
            raise ValidationError({"group": _("The group belongs to another institution.")})
        if (
            self.campus is not None
            and self.institution_id
            and self.campus.institution_id != self.institution_id
        ):
            raise ValidationError({"campus": _("The campus belongs to another institution.")})


class Guardianship(models.Model):
    """A guardian (huoltaja) of a student. Rights end when the student turns 18."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="guardianships"
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guardian"),
        on_delete=models.CASCADE,
        related_name="guardianships",
    )

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "guardian"], name="organisation_guardianship_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.student}"
