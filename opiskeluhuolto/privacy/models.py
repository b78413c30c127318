"""Data requests with their legal deadlines, and the privacy notice of each provider."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.access.models import AccessRestriction, Ground
from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import Provider, Student


class DataRequest(models.Model):
    """A request for one's own data (LAW.md L-GDPR-3, L-GDPR-4), registered with its deadline:
    one month under the GDPR (Art 12(3)), two weeks under the Publicity Act (JulkL §14(4))."""

    class Kind(models.TextChoices):
        GDPR = "gdpr", _("copy of own data (GDPR Art 15): within one month")
        PUBLICITY = "publicity", _("documents as a party (JulkL 11–12 §): within two weeks")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting")
        ANSWERED = "answered", _("answered")

    class Outcome(models.TextChoices):
        """How the request was answered (LAW.md L-GDPR-5): in full, in part or refused."""

        GIVEN = "given", _("given in full")
        PARTLY = "partly", _("given in part")
        REFUSED = "refused", _("refused")

    #: The legal grounds of withholding data (LAW.md L-GDPR-5), one list with the refusals.
    Ground = Ground

    #: The outcomes that withhold something and so need a ground and a reason.
    WITHHOLDING = (Outcome.PARTLY, Outcome.REFUSED)

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("controller"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("to be answered by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.CharField(_("how it was answered"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    ground = models.CharField(
        _("legal ground of the refusal"), max_length=30, choices=Ground.choices, blank=True
    )
    #: The standing refusals the answer recorded (LAW.md L-GDPR-5): one covering all the
    #: student's matters for a request refused, one per matter withheld for one answered
    #: in part.
    restrictions = models.ManyToManyField(
        AccessRestriction,
        verbose_name=_("standing refusals of access"),
        blank=True,
        related_name="requests",
    )
    reason = EncryptedTextField(
        _("reason, as told to the requester"),
        blank=True,
        help_text=_(
            "Shown to the requester (GDPR Art 12(4)): the reason, without repeating what is "
            "withheld."
        ),
    )

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["provider", "status"], name="privacy_request_open_idx")]

    def __str__(self) -> str:
        return f"{_('Data request')} {self.pk}"

    @staticmethod
    def deadline(kind: str, requested_on: date) -> date:
        if kind == DataRequest.Kind.GDPR:
            return requested_on + relativedelta(months=1)
        return requested_on + timedelta(days=14)


class PrivacyNotice(models.Model):
    """What the provider, as the register's controller, writes into its privacy notice
    (LAW.md L-GDPR-6, L-21-1); the rest of the notice is the law's and the system's."""

    provider = models.OneToOneField(
        Provider, verbose_name=_("controller"), on_delete=models.CASCADE, related_name="+"
    )
    contact = models.CharField(
        _("contact for data protection matters"),
        max_length=300,
        help_text=_("An address or e-mail where the data subject sends requests."),
    )
    data_protection_officer = models.CharField(
        _("data protection officer"), max_length=300, blank=True
    )
    additions = models.TextField(_("the provider's additions"), blank=True)
    updated_on = models.DateField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return str(self.provider)
