"""Annual clocks (vuosikello) and their recurring items.

Clocks layer (PRODUCT.md §2, seed 004): a provider clock is inherited by every
institution and campus. A unit adapts it through an *adaptation* clock
(`parent` set): its items either add to the inherited ones or replace one
(`adapts`), for that unit only. Several clocks per unit (welfare groups;
home–school cooperation) are separate root clocks.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider

from . import recurrence


class ClockQuerySet(models.QuerySet):
    def roots(self) -> ClockQuerySet:
        return self.filter(parent__isnull=True)


class Clock(models.Model):
    class Kind(models.TextChoices):
        WELFARE = "welfare", _("welfare groups")
        HOME_SCHOOL = "home_school", _("home–school cooperation")
        GUIDANCE = "guidance", _("guidance")
        OTHER = "other", _("other")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("adapts the clock"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adaptations",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    groups = models.ManyToManyField(
        "meetings.Group",
        verbose_name=_("groups that follow the clock"),
        blank=True,
        related_name="clocks",
    )

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual clock")
        verbose_name_plural = _("annual clocks")
        ordering = ["provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(campus__isnull=True) | Q(institution__isnull=False),
                name="annualclock_clock_campus_needs_institution",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(institution__isnull=False),
                name="annualclock_clock_adaptation_has_unit",
            ),
            models.UniqueConstraint(
                fields=["parent", "institution"],
                condition=Q(parent__isnull=False, campus__isnull=True),
                name="annualclock_clock_one_adaptation_per_institution",
            ),
            models.UniqueConstraint(
                fields=["parent", "campus"],
                condition=Q(parent__isnull=False, campus__isnull=False),
                name="annualclock_clock_one_adaptation_per_campus",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def root(self) -> Clock:
        return self.parent or self

    @property
    def unit(self):
        return self.campus or self.institution or self.provider


class ClockItem(models.Model):
    class Type(models.TextChoices):
        SURVEY = "survey", _("survey")
        EVENT = "event", _("event")
        MEETING_TOPIC = "meeting_topic", _("meeting topic")
        COMMUNICATION = "communication", _("communication")
        DRILL = "drill", _("drill")
        REPORT = "report", _("report")

    class Kind(models.TextChoices):
        DATE = recurrence.DATE, _("on a date")
        WEEKS = recurrence.WEEKS, _("in ISO weeks")
        MONTHS = recurrence.MONTHS, _("over months")
        TERM = recurrence.TERM, _("during a term")

    class Term(models.TextChoices):
        AUTUMN = recurrence.AUTUMN, _("autumn term")
        SPRING = recurrence.SPRING, _("spring term")

    class Community(models.TextChoices):
        """Who sees the item in the communal calendar besides the staff (issue 18)."""

        STAFF = "", _("staff only")
        STUDENTS = "students", _("students")
        GUARDIANS = "guardians", _("guardians of minor students")
        EVERYONE = "everyone", _("students and guardians")

    clock = models.ForeignKey(
        Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="items"
    )
    adapts = models.ForeignKey(
        "self",
        verbose_name=_("adapts the inherited item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adaptations",
    )
    is_hidden = models.BooleanField(
        _("not held in this unit"),
        default=False,
        help_text=_("Hides the inherited item in this unit only."),
    )
    title = models.CharField(_("title"), max_length=300)
    title_sv = models.CharField(_("title (Swedish)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    kind = models.CharField(_("recurs"), max_length=10, choices=Kind.choices)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    first_week = models.PositiveSmallIntegerField(_("first week"), null=True, blank=True)
    last_week = models.PositiveSmallIntegerField(_("last week"), null=True, blank=True)
    first_month = models.PositiveSmallIntegerField(_("first month"), null=True, blank=True)
    last_month = models.PositiveSmallIntegerField(_("last month"), null=True, blank=True)
    term = models.CharField(_("term"), max_length=10, choices=Term.choices, blank=True)
    every_years = models.PositiveSmallIntegerField(_("every N-th year"), default=1)
    anchor_year = models.PositiveSmallIntegerField(
        _("a year it happens"), null=True, blank=True, help_text=_("E.g. 2025 for “last 2025”.")
    )
    owner_group = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("owner group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clock_items",
    )
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    community = models.CharField(
        _("in the communal calendar of"),
        max_length=10,
        choices=Community.choices,
        blank=True,
        default="",
        help_text=_("Students and guardians of the unit see the item in their calendar."),
    )
    community_group = models.ForeignKey(
        "organisation.StudentGroup",
        verbose_name=_("only for the group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: every group of the unit."),
    )
    results_due = models.CharField(
        _("results due"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “in November at the earliest”."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    placement_inferred = models.BooleanField(
        _("timing read from the picture"),
        default=False,
        help_text=_("The source clock gave no explicit time; the month comes from its position."),
    )

    class Meta:
        verbose_name = _("annual clock item")
        verbose_name_plural = _("annual clock items")
        ordering = ["clock", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_years__gte=1), name="annualclock_item_every_years_positive"
            ),
            models.UniqueConstraint(
                fields=["clock", "adapts"],
                condition=Q(adapts__isnull=False),
                name="annualclock_item_one_adaptation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        """The reader's language, falling back to Finnish."""
        return getattr(self, f"title_{language}", "") or self.title

    @property
    def rule(self) -> recurrence.Rule:
        return recurrence.Rule(
            kind=self.kind,
            day=self.day,
            month=self.month,
            first_week=self.first_week,
            last_week=self.last_week,
            first_month=self.first_month,
            last_month=self.last_month,
            term=self.term or None,
            every_years=self.every_years,
            anchor_year=self.anchor_year,
        )

    @property
    def timing(self) -> str:
        return recurrence.describe(self.rule)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        field_map = {
            "date": "day",
            "kind": "kind",
            "first_week": "first_week",
            "last_week": "last_week",
            "first_month": "first_month",
            "last_month": "last_month",
            "term": "term",
            "every_years": "every_years",
            "anchor_year": "anchor_year",
        }
        try:
            recurrence.validate(self.rule)
        except recurrence.InvalidRule as e:
            raise ValidationError({field_map.get(e.field, "kind"): e.message}) from None


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """A private iCalendar feed address of one person for one clock; revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clock_feed_tokens"
    )
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="feed_tokens")
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.clock} ({self.user})"


class ClockEvent(models.Model):
    """The audit trail of annual clocks: who changed what, written inside each action.

    The clock's own rows (issue 15): it no longer writes into the meetings app's table.
    Opaque ids only, never item text or names.
    """

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("event"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))

    class Meta:
        verbose_name = _("annual clock event")
        verbose_name_plural = _("annual clock events")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="annualclock_event_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type}:{self.object_id}"


def record(actor, verb: str, obj) -> ClockEvent:
    return ClockEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
    )
