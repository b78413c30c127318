"""Welfare groups at every level, their members, standing items, meetings and minutes.

LAW.md L-14-1: the provider's steering group and each institution's welfare
group have separate membership, meetings and minutes; the institution group
is chaired by the provider's named representative.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider, WellbeingCounty


class GroupQuerySet(models.QuerySet):
    def of_provider(self, provider_id: int) -> GroupQuerySet:
        return self.filter(provider_id=provider_id)

    def student_bodies(self) -> GroupQuerySet:
        return self.filter(kind=Group.Kind.STUDENT_BODY)


class Group(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("steering group (ohjausryhmä)")
        WELFARE = "welfare", _("institution welfare group")
        CAMPUS = "campus", _("campus communal welfare group")
        THEME = "theme", _("theme group")
        STUDENT_BODY = "student_body", _("student body or forum")
        REGIONAL = "regional", _("regional cooperation group")

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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("tasks and working methods"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The institution welfare group is led by a representative named by the provider."
        ),
    )
    meeting_minutes = models.PositiveIntegerField(_("usual meeting length (minutes)"), default=90)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The group above this one: steering group, institution group, campus group."),
    )
    # A regional cooperation group is owned by the wellbeing county; `provider` is the
    # provider that keeps its record, and every member provider's people who are members
    # see it (access/communal.py). Only communal content goes through it.
    county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member_providers = models.ManyToManyField(
        Provider,
        verbose_name=_("member providers"),
        blank=True,
        related_name="regional_groups",
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("welfare group")
        verbose_name_plural = _("welfare groups")
        ordering = ["provider", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="meetings_group_unique_name"),
            models.CheckConstraint(
                condition=~Q(kind="welfare") | Q(institution__isnull=False),
                name="meetings_group_welfare_has_institution",
            ),
            models.CheckConstraint(
                condition=~Q(kind="campus") | Q(campus__isnull=False),
                name="meetings_group_campus_has_campus",
            ),
            models.CheckConstraint(
                condition=Q(campus__isnull=True) | Q(institution__isnull=False),
                name="meetings_group_campus_needs_institution",
            ),
            models.CheckConstraint(
                condition=~Q(kind="regional") | Q(county__isnull=False),
                name="meetings_group_regional_has_county",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self):
        return self.campus or self.institution or self.provider

    @property
    def is_regional(self) -> bool:
        return self.kind == self.Kind.REGIONAL


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")
        STUDENT_REP = "student_rep", _("student representative")
        GUARDIAN_REP = "guardian_rep", _("guardian representative")
        EXTERNAL = "external", _("external partner")
        EXPERT = "expert", _("invited expert")

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="welfare_group_memberships",
    )
    role = models.CharField(_("role in the group"), max_length=20, choices=Role.choices)
    represents = models.CharField(
        _("represents"), max_length=200, blank=True, help_text=_("E.g. youth work of Seinäjoki.")
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="meetings_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class StandingItem(models.Model):
    """An agenda item the group takes up in every meeting, or as needed (seed 003)."""

    class Kind(models.TextChoices):
        EVERY_MEETING = "every", _("in every meeting")
        AS_NEEDED = "as_needed", _("as needed")

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="standing_items"
    )
    kind = models.CharField(_("when"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)
    raised = models.BooleanField(
        _("raised for the next meeting"),
        default=False,
        help_text=_("An “as needed” item that someone wants on the next agenda."),
    )

    class Meta:
        verbose_name = _("standing agenda item")
        verbose_name_plural = _("standing agenda items")
        ordering = ["kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "title"], name="meetings_standingitem_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Highlight(models.Model):
    """A highlight (nosto) a student body sends to a welfare group's next meeting."""

    group = models.ForeignKey(
        Group, verbose_name=_("to group"), on_delete=models.CASCADE, related_name="highlights"
    )
    from_group = models.ForeignKey(
        Group, verbose_name=_("from"), on_delete=models.CASCADE, related_name="sent_highlights"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("description"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    handled_in = models.ForeignKey(
        "Meeting",
        verbose_name=_("handled in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("highlight from a student body")
        verbose_name_plural = _("highlights from student bodies")
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return self.title


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today: date) -> MeetingQuerySet:
        return self.filter(starts_at__date__gte=today).order_by("starts_at")

    def past(self, today: date) -> MeetingQuerySet:
        return self.filter(starts_at__date__lt=today).order_by("-starts_at")


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PUBLISHED = "published", _("minutes published")

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    attendees = models.TextField(_("present"), blank=True)
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_pdf = models.BinaryField(_("minutes as PDF"), null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="meetings_meeting_starts_before_end",
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"], name="meetings_meeting_group_idx")]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%d.%m.%Y}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Proposal(models.Model):
    """An item another part of the system sends to a group's next agenda.

    Released survey results, an updated procedure to review, the incident summary of the
    standing safety topic, an event's participation report, a follow-up sent down from a
    higher group: each app calls `meetings.inbox.propose()`; the agenda takes up what no
    published meeting has handled yet. Communal content only: no student is named here.
    """

    group = models.ForeignKey(
        Group, verbose_name=_("to group"), on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    origin = models.CharField(
        _("sent by"),
        max_length=40,
        blank=True,
        help_text=_("The part of the service that sent it."),
    )
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(
        _("key"),
        max_length=120,
        blank=True,
        help_text=_("Sending the same thing twice (the same key) proposes it once."),
    )
    follow_up = models.ForeignKey(
        "FollowUp",
        verbose_name=_("sent down from the follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sent_down",
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    handled_in = models.ForeignKey(
        "Meeting",
        verbose_name=_("handled in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("item sent to the agenda")
        verbose_name_plural = _("items sent to the agenda")
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "key"], condition=~Q(key=""), name="meetings_proposal_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One item of an assembled agenda; its minutes are written on it (LAW.md L-14-2)."""

    class Source(models.TextChoices):
        STANDING = "standing", _("in every meeting")
        CLOCK = "clock", _("annual clock")
        AS_NEEDED = "as_needed", _("as needed")
        HIGHLIGHT = "highlight", _("highlight from students")
        FOLLOW_UP = "follow_up", _("carried over")
        PROPOSAL = "proposal", _("sent to the agenda")
        OTHER = "other", _("other matter")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source", "source_id"],
                condition=Q(source_id__isnull=False),
                name="meetings_agendaitem_unique_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUpQuerySet(models.QuerySet):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """A task agreed in a meeting; open ones return on the next agendas."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agreed under"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=300, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None
