"""Guardian prohibitions (LAW.md L-18-1): the minor forbids the guardian's participation; lifted
once, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import (
    Student,
)

from .cases import Case


class ProhibitionQuerySet(models.QuerySet):
    def in_force(self) -> ProhibitionQuerySet:
        return self.filter(lifted_at__isnull=True)

    def covering(self, student, case=None) -> ProhibitionQuerySet:
        """The student's prohibitions in force that cover all her matters, or `case`."""
        rows = self.in_force().filter(student=student)
        if case is None:
            return rows.filter(case__isnull=True)
        return rows.filter(models.Q(case__isnull=True) | models.Q(case=case))


class GuardianProhibition(models.Model):
    """A minor's prohibition of the guardian's participation (LAW.md L-18-1, L-GDPR-5).

    With no case it covers all the student's welfare matters, and suppresses
    the guardian notice of referrals too (L-16-3).
    """

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="guardian_prohibitions",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prohibitions",
    )
    reason = EncryptedTextField(_("weighty reason given by the student"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by (social or health professional)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessor_profession = models.CharField(_("profession of the assessor"), max_length=100)
    assessment = EncryptedTextField(
        _("assessment of the minor's interest"),
        help_text=_("Why the prohibition is not clearly against the minor's interest."),
    )
    decided_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardian prohibition")
        verbose_name_plural = _("guardian prohibitions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Guardian prohibition')} {self.decided_on:%d.%m.%Y}"
