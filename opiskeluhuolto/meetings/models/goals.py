"""Goals and indicators of communal welfare (seed 004, Luksia), with aggregate data points.

LAW.md §1.7: only aggregate, school-level survey results are stored, never
individual answers; cells with fewer than 5 respondents are hidden (PRODUCT.md §5).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider

SMALL_CELL = 5


class Indicator(models.Model):
    class Direction(models.TextChoices):
        LOWER = "lower", _("lower is better")
        HIGHER = "higher", _("higher is better")

    class Source(models.TextChoices):
        SCHOOL_HEALTH = "khk", _("School Health Promotion study")
        TEA = "tea", _("TEA indicator")
        ARVO = "arvo", _("Arvo feedback")
        OWN = "own", _("own survey")
        REGISTER = "register", _("student register")
        EVENTS = "events", _("event attendance")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Used in import files."))
    name = models.CharField(_("name"), max_length=200)
    goal = models.CharField(_("goal"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    #: None: no target set (yet); the built-in participation indicator starts without one,
    #: and the plan sets it.
    target = models.FloatField(_("target"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    #: An indicator the system creates (e.g. `events.participation`): its name and unit are
    #: the English message ids, shown in the reader's language (`label`, `unit_label`).
    #: Names typed by people stay as typed.
    built_in = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="meetings_indicator_code"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language if built in, else as typed."""
        return gettext(self.name) if self.built_in else self.name

    @property
    def unit_label(self) -> str:
        return gettext(self.unit) if self.built_in else self.unit

    def meets(self, value: float) -> bool | None:
        """Whether a value reaches the target; None when the indicator has no target."""
        if self.target is None:
            return None
        if self.direction == self.Direction.LOWER:
            return value <= self.target
        return value >= self.target


class DataPoint(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="points"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("year"))
    value = models.FloatField(_("value"))
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)

    class Meta:
        verbose_name = _("data point")
        verbose_name_plural = _("data points")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "institution", "year"],
                condition=Q(campus__isnull=True),
                name="meetings_datapoint_unique_institution",
            ),
            models.UniqueConstraint(
                fields=["indicator", "campus", "year"],
                condition=Q(campus__isnull=False),
                name="meetings_datapoint_unique_campus",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"

    @property
    def is_small_cell(self) -> bool:
        return self.respondents is not None and self.respondents < SMALL_CELL

    @property
    def unit_name(self) -> str:
        return self.campus.name if self.campus is not None else self.institution.name
