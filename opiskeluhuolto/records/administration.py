"""The register's administration: rectification requests, retention classes,
destruction reports and access reviews (LAW.md L-GDPR-3, L-RET-*, L-906-4). A module of
its own (the models are imported by `records.models`) to keep that module short.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.choices import ChoiceLabels

from .fields import EncryptedTextField


class RectificationRequest(ChoiceLabels):
    """A request to rectify the record (LAW.md L-GDPR-3); its decision becomes an entry."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted: the record was amended")
        REJECTED = "rejected", _("rejected")

    record = models.ForeignKey(
        "records.WelfareRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    text = EncryptedTextField(_("what should be corrected, and how"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_entry = models.OneToOneField(
        "records.RecordEntry",
        verbose_name=_("decision entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification",
    )

    class Meta:
        verbose_name = _("rectification request")
        verbose_name_plural = _("rectification requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{_('Rectification request')} {self.pk}"


class RetentionClass(models.Model):
    """How long one provider keeps a document type, from which event (LAW.md L-RET-1, L-RET-5,
    L-906-7).

    Each provider is the controller of its own register (L-21-1) and decides its own
    periods: no period is hard-coded in law for the register, and none here.
    """

    class DocumentType(models.TextChoices):
        WELFARE_RECORD = "welfare_record", _("welfare record with its case and consents")
        REFERRAL = "referral", _("referral that did not lead to a case")
        APPOINTMENT_REQUEST = "appointment_request", _("appointment request with its appointments")
        INCIDENT = "incident", _("incident report (bullying, violence, harassment, substance use)")

    class StartEvent(models.TextChoices):
        CASE_CLOSED = "case_closed", _("the case was closed")
        RECEIVED = "received", _("the document was received")
        RESOLVED = "resolved", _("the request was resolved")
        STUDENT_LEFT = "student_left", _("the student left the institution")

    provider = models.ForeignKey(
        "organisation.Provider",
        verbose_name=_("controller"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    document_type = models.CharField(
        _("document type"), max_length=30, choices=DocumentType.choices
    )
    years = models.PositiveSmallIntegerField(_("years kept"))
    start_event = models.CharField(_("counted from"), max_length=20, choices=StartEvent.choices)
    permanent = models.BooleanField(_("kept permanently (archive decision)"), default=False)

    class Meta:
        verbose_name = _("retention class")
        verbose_name_plural = _("retention classes")
        ordering = ["provider", "document_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "document_type"], name="records_retention_one_per_type"
            )
        ]

    def __str__(self) -> str:
        return self.get_document_type_display()


class DestructionReport(models.Model):
    """A destruction proposed by the retention job, reviewed and approved by a person, then
    carried out by the next run: what, when, by whom (LAW.md L-RET-5)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed, waiting for review")
        APPROVED = "approved", _("approved, destroyed at the next run")
        DESTROYED = "destroyed", _("destroyed")
        DRY_RUN = "dry_run", _("preview only")

    provider = models.ForeignKey(
        "organisation.Provider",
        verbose_name=_("controller"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    run_by = models.CharField(_("run by"), max_length=200)
    dry_run = models.BooleanField(_("dry run"), default=False)
    destroyed = models.JSONField(_("documents to destroy"), default=list)
    held = models.JSONField(_("kept under legal hold"), default=list)
    unhandled = models.JSONField(_("past the period but never handled: kept"), default=list)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction report")
        verbose_name_plural = _("destruction reports")
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{_('Destruction report')} {self.run_at:%d.%m.%Y}"


class AccessReview(models.Model):
    """The provider admin's periodic review of who can read which open cases, and why
    (LAW.md L-906-4: access rights are kept current and reviewed periodically)."""

    provider = models.ForeignKey(
        "organisation.Provider",
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    note = models.TextField(_("findings and measures"), blank=True)

    class Meta:
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{_('Access review')} {self.reviewed_at:%d.%m.%Y}"
