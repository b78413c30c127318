"""The provider, its institutions and campuses, and their school calendars."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    """`Role.choices` for fields declared before `Role` (Django calls it when needed): `roles`
    imports this module for its foreign keys, so `Role` is imported when called."""
    from .roles import Role

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
