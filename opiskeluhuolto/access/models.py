from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Student


class FactsVersion(models.Model):
    """One row whose token changes whenever a table the permission facts are read from
    changes (see `access.facts`).

    Database triggers keep it (migration 0001), not Python signals: a bulk insert, a COPY
    of a roster import or a raw UPDATE changes the token too, in the writer's own
    transaction, so nobody can see the new data under the old token. The token is random,
    not a counter, so a number is never reused after a rollback.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField()

    class Meta:
        verbose_name = "permission facts version"

    def __str__(self) -> str:
        return str(self.token)


class Ground(models.TextChoices):
    """The legal grounds of withholding a person's own data from them (LAW.md L-GDPR-5)."""

    HEALTH = "tsl34_health", _("Data Protection Act 34 §: danger to the student's health or care")
    OTHERS = "tsl34_others", _("Data Protection Act 34 §: danger to the rights of others")
    PROHIBITION = "ohl18_2", _("Pupil and Student Welfare Act 18 § 2: the minor's prohibition")


class AccessRestrictionQuerySet(models.QuerySet):
    def in_force(self) -> AccessRestrictionQuerySet:
        return self.filter(ended_at__isnull=True)


class AccessRestriction(models.Model):
    """A standing refusal of one person's access to a student's welfare data (LAW.md
    L-GDPR-5): a guardian's, or the student's own. Recorded by the register responsible
    person when they refuse a data request under tietosuojalaki 34 §
    (`privacy.actions.answer_request`), in force until they end it. A rule of who may see
    what, so it lives here with the rules that read it (`CaseRules._guardian_blocks`,
    `CaseRules.own_access_refused`); ended once, never deleted (the audit trail keeps
    both).

    Without a case it covers all the student's welfare matters (a request refused); with
    one, that matter only (a request answered in part: one row per matter withheld)."""

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose access is refused"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("welfare matter withheld"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: all the student's welfare matters."),
    )
    ground = models.CharField(
        _("legal ground of the refusal"), max_length=30, choices=Ground.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AccessRestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("refusal of access")
        verbose_name_plural = _("refusals of access")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "student"], name="access_restriction_person_idx")]

    def __str__(self) -> str:
        return f"{_('Refusal of access')} {self.pk}"
