"""Referrals to welfare staff (yhteydenotto, LAW.md L-16-1..4, L-15-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import (
    Institution,
    Student,
)


class Referral(models.Model):
    """Yhteydenotto opiskeluhuoltoon (LAW.md L-16-1..4, L-15-1)."""

    class Channel(models.TextChoices):
        STAFF = "staff", _("staff member (§16)")
        SELF = "self", _("the student asked for help")
        GUARDIAN = "guardian", _("guardian")
        EXTERNAL = "external", _("outside professional (§16(3))")

    class GuardianNotice(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", _("not applicable (adult student or self-referral)")
        PENDING = "pending", _("held until a welfare professional assesses the student's wish")
        SENT = "sent", _("sent")
        SUPPRESSED = "suppressed", _("suppressed: guardian prohibition (§18)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CASE_OPENED = "case_opened", _("case opened")
        CLOSED = "closed", _("closed without a case")

    class ClosingReason(models.TextChoices):
        """LAW.md L-15-5: closing without a meeting needs a recorded reason."""

        ADVICE_ONLY = "advice_only", _("advice to the contacting person only")
        UNNECESSARY = "unnecessary", _("a discussion was obviously unnecessary")
        SUPPORTED = "supported", _("supported without an expert group")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="referrals"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referrer_description = models.CharField(
        _("referrer (outside professional)"), max_length=200, blank=True
    )
    with_student = models.BooleanField(_("made together with the student"), default=False)
    reason = EncryptedTextField(_("what the welfare staff need to know"))
    student_wishes_no_guardian_notice = models.BooleanField(
        _("the student asked that the guardian not be told"), default=False
    )
    received_on = models.DateField(_("received on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    student_notice_due = models.DateField(_("student notice due"), null=True, blank=True)
    student_notified_at = models.DateTimeField(_("student told at"), null=True, blank=True)
    student_notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student told by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    student_notice_method = models.CharField(
        _("how the student was told"), max_length=100, blank=True
    )
    guardian_notice = models.CharField(
        _("guardian notice"), max_length=20, choices=GuardianNotice.choices
    )
    guardian_notice_at = models.DateTimeField(_("guardian notice at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closing_reason = models.CharField(
        _("why no case was opened"), max_length=30, choices=ClosingReason.choices, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discussion_request = models.OneToOneField(
        "appointments.AppointmentRequest",
        verbose_name=_("request for a discussion (§15 clock)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referral",
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="cases_referral_inst_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(with_student=True) | Q(student_notice_due__isnull=False),
                name="cases_referral_notice_due_without_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Referral')} {self.pk}"

    @property
    def needs_student_notice(self) -> bool:
        return not self.with_student and self.student_notified_at is None

    @property
    def starts_discussion_clock(self) -> bool:
        """The student's own request for help, a guardian's contact, and a referral made
        together with the student start the §15 clock (LAW.md L-15-5); a referral without
        the student starts the §16 notice instead."""
        return self.channel in (self.Channel.SELF, self.Channel.GUARDIAN) or self.with_student

    @property
    def is_students_own(self) -> bool:
        """The student's own request, or a referral made with the student: §15(2)'s "advice
        only" and "obviously unnecessary" do not close it (LAW.md L-15-5)."""
        return self.channel == self.Channel.SELF or self.with_student
