"""Incidents (bullying, violence, harassment, substance use) and the steps of their handling.

Not a welfare record (LAW.md): a record of what happened and what the school did under
its procedure. The free text is encrypted at rest; an anonymous report stores nothing
that identifies the reporter unless she gives her name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.cases.models import Referral
from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import Campus, Institution, Student
from opiskeluhuolto.procedures.models import Kind, Procedure


class Category(models.TextChoices):
    BULLYING = "bullying", _("bullying")
    VIOLENCE = "violence", _("violence")
    HARASSMENT = "harassment", _("harassment")
    SUBSTANCE = "substance", _("substance use")
    OTHER = "other", _("other safety incident")


#: The procedure kind that says what to do for each category.
PROCEDURE_KIND = {
    Category.BULLYING: Kind.BULLYING,
    Category.VIOLENCE: Kind.BULLYING,
    Category.HARASSMENT: Kind.BULLYING,
    Category.SUBSTANCE: Kind.SUBSTANCE,
    Category.OTHER: Kind.SAFETY,
}


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Incident.Status.CLOSED)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(follow_up_on__lt=today)


class Incident(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("being handled")
        FOLLOW_UP = "follow_up", _("waiting for follow-up")
        CLOSED = "closed", _("followed up and closed")

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    campus = models.ForeignKey(
        Campus, verbose_name=_("campus"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("when it happened"))
    description = EncryptedTextField(_("what happened"), blank=True)
    immediate_actions = EncryptedTextField(_("what was done at once"), blank=True)
    students = models.ManyToManyField(
        Student, verbose_name=_("students involved"), blank=True, related_name="+"
    )
    others = EncryptedTextField(_("others involved"), blank=True)
    anonymous = models.BooleanField(_("reported by a student"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = EncryptedTextField(_("reporter's name, if given"), blank=True)
    wants_contact = models.BooleanField(_("wants to be contacted"), default=False)
    contact = EncryptedTextField(_("how to contact"), blank=True)
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    due_on = models.DateField(_("to be followed up by (procedure)"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    #: The first referral made from the incident; every referral is a `Step.Kind.REFERRAL`.
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral made from it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(reported_by__isnull=True),
                name="incidents_anonymous_has_no_reporter",
            ),
        ]
        indexes = [models.Index(fields=["institution", "campus", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} #{self.pk}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status != self.Status.CLOSED
            and self.follow_up_on is not None
            and self.follow_up_on < today
        )


class Step(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("discussion with a party")
        GUARDIAN = "guardian", _("guardian contacted")
        DECISION = "decision", _("decision")
        FOLLOW_UP = "follow_up", _("follow-up of the situation")
        NOTE = "note", _("note")
        #: Written by `actions.refer` only: who was referred, by whom and when; nothing of
        #: the referral's content (it is the cases app's, under its own rules).
        REFERRAL = "referral", _("referral to student welfare")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step taken"), max_length=20, choices=Kind.choices)
    note = EncryptedTextField(_("note"), blank=True)
    on = models.DateField(_("date"), default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    student = models.ForeignKey(
        Student,
        verbose_name=_("student referred"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral made"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("step taken")
        verbose_name_plural = _("steps taken")
        ordering = ["on", "at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
