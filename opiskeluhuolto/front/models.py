"""Duties of the Act on the Provision of Digital Services (306/2019) that the shell carries:
the accessibility feedback contact and the help contact per provider, the feedback with its
receipt and two-week answer, and service-break notices (LAW.md L-306-2, -3, -6)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Provider

#: §10(3): the answer within two weeks, extendable once by two weeks with notice.
ANSWER_DAYS = 14


class ProviderContact(models.Model):
    """Where a provider's users send accessibility feedback and get help (L-306-2, L-306-6)."""

    provider = models.OneToOneField(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="+"
    )
    accessibility_email = models.EmailField(_("e-mail for accessibility feedback"))
    help_contact = models.CharField(
        _("help with the service"),
        max_length=300,
        blank=True,
        help_text=_("A phone number or e-mail where users get help with this service."),
    )

    class Meta:
        verbose_name = _("service contact")
        verbose_name_plural = _("service contacts")

    def __str__(self) -> str:
        return str(self.provider)


class AccessibilityFeedback(models.Model):
    """Accessibility feedback, with the time received and the day it must be answered by."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"))
    message = models.TextField(_("feedback"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    due_on = models.DateField(_("to be answered by"))
    extended_to = models.DateField(_("answer extended to"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{_('Accessibility feedback')} {self.pk}"

    @property
    def deadline(self):
        return self.extended_to or self.due_on

    @staticmethod
    def due_from(received_on):
        return received_on + timedelta(days=ANSWER_DAYS)


class ServiceBreak(models.Model):
    """A planned break, announced in advance on every page with the other ways to get the
    matter handled meanwhile (L-306-6)."""

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    message = models.CharField(_("what happens"), max_length=300)
    alternatives = models.CharField(
        _("how to get matters handled meanwhile"),
        max_length=300,
        help_text=_("For example: urgent matters by phone to the kuraattori, 040 123 4567."),
    )

    class Meta:
        verbose_name = _("service break")
        verbose_name_plural = _("service breaks")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="front_service_break_starts_before_end",
            )
        ]

    def __str__(self) -> str:
        return self.message
