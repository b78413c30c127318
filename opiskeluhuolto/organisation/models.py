"""Provider → institutions → campuses, school calendars, groups, students, guardians, roles.

This is the data that `access` reads to answer who may see what.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib import hetu as hetu_lib
from opiskeluhuolto.lib.workdays import SchoolCalendar


def finnish_date(day: date) -> str:
    """1.8.2026: the form used in Finnish and Swedish, clear in English."""
    return f"{day.day}.{day.month}.{day.year}"


class WellbeingCounty(models.Model):
    """Hyvinvointialue: the partner body that employs kuraattori, psykologi and terveydenhoitaja."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("wellbeing county")
        verbose_name_plural = _("wellbeing counties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def role_choices() -> list[tuple[str, str]]:
    """`Role.choices` for fields declared before `Role` (Django calls it when needed)."""
    return Role.choices  # type: ignore[return-value]  # lazy labels are strings when shown


class Provider(models.Model):
    """Opetuksen järjestäjä: the controller of the welfare register (LAW.md L-21-1)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    business_id = models.CharField(_("business ID"), max_length=20, blank=True)
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="providers",
    )
    register_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("register responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Rekisterin vastuuhenkilö of the welfare register (LAW.md L-21-1)."),
    )
    register_admin_role = models.CharField(
        _("role with register administration"),
        max_length=30,
        blank=True,
        # A database default too, so rows written by code that predates the field
        # (a rolling deploy, an older migration state) still insert.
        default="",
        db_default="",
        choices=role_choices,
        help_text=_(
            "Besides the register responsible person, the holders of this role in a "
            "provider-wide assignment administer the welfare register: they decide "
            "rectification requests and disclose on closed cases (LAW.md L-21-1)."
        ),
    )

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    class Level(models.TextChoices):
        """Education levels, so that a municipal provider (seed 002, Jämsä) fits: pre-primary
        and basic education, the preparatory education (TUVA), lukio, vocational."""

        PRE_PRIMARY = "pre_primary", _("pre-primary education")
        BASIC = "basic", _("basic education")
        PREPARATORY = (
            "preparatory",
            _("preparatory education for an upper secondary qualification (TUVA)"),
        )
        UPPER_SECONDARY = "lukio", _("general upper secondary (lukio)")
        VOCATIONAL = "vocational", _("vocational education")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="institutions"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address name"),
        max_length=80,
        unique=True,
        help_text=_("Used in the address of the public welfare page."),
    )
    level = models.CharField(_("education level"), max_length=20, choices=Level.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="organisation_institution_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def school_calendar(self) -> SchoolCalendar:
        """The working-day calendar from all of this institution's school years."""
        periods = CalendarPeriod.objects.filter(school_year__institution=self)
        terms, days_off, extra = [], [], []
        for p in periods:
            if p.kind == CalendarPeriod.Kind.TERM:
                terms.append((p.starts_on, p.ends_on))
            elif p.kind == CalendarPeriod.Kind.EXTRA_SCHOOL_DAY:
                extra.append(p.starts_on)
            else:
                days_off.append((p.starts_on, p.ends_on))
        return SchoolCalendar.build(terms, days_off, extra)


class Campus(models.Model):
    """Kampus / toimipiste / yksikkö of an institution."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="campuses",
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="organisation_campus_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    """Lukuvuosi of one institution; its periods define the working days."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="school_years",
    )
    name = models.CharField(_("name"), max_length=20, help_text=_("For example 2026–2027."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["institution", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="organisation_schoolyear_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lt=models.F("ends_on")),
                name="organisation_schoolyear_starts_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.starts_on >= self.ends_on:
                raise ValidationError({"ends_on": _("The school year must end after it starts.")})
            if self.institution_id:
                overlapping = SchoolYear.objects.filter(
                    institution_id=self.institution_id,
                    starts_on__lte=self.ends_on,
                    ends_on__gte=self.starts_on,
                ).exclude(pk=self.pk)
                other = overlapping.first()
                if other is not None:
                    raise ValidationError(
                        _("This school year overlaps %(other)s.") % {"other": other.name}
                    )


class CalendarPeriod(models.Model):
    """A term, a break, an extra day off or an extra school day within a school year."""

    class Kind(models.TextChoices):
        TERM = "term", _("term")
        BREAK = "break", _("break")
        DAY_OFF = "day_off", _("extra day off")
        EXTRA_SCHOOL_DAY = "extra_school_day", _("extra school day (e.g. a Saturday)")

    school_year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("calendar period")
        verbose_name_plural = _("calendar periods")
        ordering = ["starts_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")),
                name="organisation_calendarperiod_starts_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_on}–{self.ends_on}"

    def clean(self) -> None:
        if not (self.starts_on and self.ends_on and self.school_year_id):
            return
        if self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("The period must not end before it starts.")})
        year = self.school_year
        if self.starts_on < year.starts_on or self.ends_on > year.ends_on:
            raise ValidationError(
                _("The period must lie within the school year %(start)s–%(end)s.")
                % {
                    "start": finnish_date(year.starts_on),
                    "end": finnish_date(year.ends_on),
                }
            )
        if self.kind == self.Kind.EXTRA_SCHOOL_DAY and self.starts_on != self.ends_on:
            raise ValidationError({"ends_on": _("An extra school day is a single day.")})
        # Periods of the same kind never overlap; a break may sit inside a term.
        clashing: dict[str, list[str]] = {
            self.Kind.TERM: [self.Kind.TERM],
            self.Kind.BREAK: [self.Kind.BREAK, self.Kind.DAY_OFF],
            self.Kind.DAY_OFF: [self.Kind.BREAK, self.Kind.DAY_OFF],
            self.Kind.EXTRA_SCHOOL_DAY: [self.Kind.EXTRA_SCHOOL_DAY],
        }
        same_kind = clashing[self.kind]
        clash = (
            CalendarPeriod.objects.filter(
                school_year__institution_id=year.institution_id,
                kind__in=same_kind,
                starts_on__lte=self.ends_on,
                ends_on__gte=self.starts_on,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if clash:
            raise ValidationError(
                _("This period overlaps “%(name)s” (%(start)s–%(end)s).")
                % {
                    "name": clash.name,
                    "start": finnish_date(clash.starts_on),
                    "end": finnish_date(clash.ends_on),
                }
            )


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


# --- organisations around the school (issue 20, docs/organisations.md) ----------------


class Organisation(models.Model):
    """A body the provider works with: the wellbeing county, a municipality, a partner.

    Kept in one provider's register (`provider`), which edits it; its contacts, services,
    agreements and the campuses it works at are communal information, never about students.
    """

    class Kind(models.TextChoices):
        COUNTY = "county", _("wellbeing county")
        COUNTY_UNIT = "county_unit", _("unit of the wellbeing county")
        MUNICIPALITY = "municipality", _("municipality")
        YOUTH_WORK = "youth_work", _("youth work")
        NGO = "ngo", _("non-governmental organisation")
        PARISH = "parish", _("parish")
        OTHER = "other", _("other partner")

    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="organisations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing county"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text=_("For the county and its units: which wellbeing county this is."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    campuses = models.ManyToManyField(
        Campus,
        verbose_name=_("campuses it works at"),
        blank=True,
        related_name="organisations",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="organisation_organisation_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationContact(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class OrganisationService(models.Model):
    """A service an organisation offers; a public one is shown to the students and
    guardians of the campuses the organisation works at, with its service hours."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("for whom"), max_length=200, blank=True, help_text=_("For example: students under 29.")
    )
    hours = models.CharField(
        _("service hours"),
        max_length=300,
        blank=True,
        help_text=_("For example: Tuesdays 12–15 in the communal space."),
    )
    public = models.BooleanField(
        _("shown to students and guardians"),
        default=True,
        help_text=_("Shown with its service hours on the campuses the organisation works at."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class OrganisationAgreement(models.Model):
    """A cooperation agreement between the organisation and a provider: period and scope."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    scope = models.TextField(_("scope"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="organisation_agreement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.provider}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The agreement must not end before it starts.")})
        if (
            self.organisation_id
            and self.provider_id
            and self.organisation.provider_id != self.provider_id
        ):
            raise ValidationError(
                {
                    "provider": _(
                        "The agreement is made with the provider that keeps the organisation."
                    )
                }
            )

    def in_force(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
