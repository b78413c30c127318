"""Consents (LAW.md L-19): statements of will, never edited in place; a withdrawal is set
once, through an action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.lib.choices import ChoiceLabels
from opiskeluhuolto.lib.fields import EncryptedTextField
from opiskeluhuolto.organisation.models import (
    Provider,
    Role,
    Student,
)


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(ChoiceLabels):
    """A specified consent (LAW.md L-19-1..3, L-23-1, L-GDPR-8).

    Given by the student, or by the guardian with a recorded assessment that
    the student cannot judge what it means: never decided by a fixed age.
    """

    class Kind(models.TextChoices):
        EXPERT_GROUP = "expert_group", _("handling in an expert group")
        PARTICIPANTS = "participants", _("further participants")
        DISCLOSURE = "disclosure", _("disclosure to a named recipient")
        TRANSFER = "transfer", _("transfer to another provider (§23(3))")

    class GivenBy(models.TextChoices):
        STUDENT = "student", _("the student")
        GUARDIAN = "guardian", _("the guardian")

    class How(models.TextChoices):
        WRITTEN = "written", _("written, signed")
        ELECTRONIC = "electronic", _("electronic, identified")
        ORAL = "oral", _("oral, recorded by the professional")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="consents"
    )
    case = models.ForeignKey(
        "Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices)
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guardian who consented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity_assessment = EncryptedTextField(
        _("assessment of the student's capacity"),
        blank=True,
        help_text=_(
            "Why the student can or cannot judge what the consent means "
            "(age, development, the matter). Required when the guardian consents."
        ),
    )
    capacity_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("capacity assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    how = models.CharField(_("how it was given"), max_length=20, choices=How.choices)
    given_on = models.DateField(_("given on"))
    named_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named members"),
        blank=True,
        related_name="+",
    )
    named_roles = models.JSONField(
        _("roles written beside the names (a description; grants nothing)"),
        default=list,
        blank=True,
    )
    other_participants = EncryptedTextField(
        _("other participants (close persons, outside experts)"), blank=True
    )
    scope = EncryptedTextField(_("what the consent covers"), blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    recipient_provider = models.ForeignKey(
        Provider,
        verbose_name=_("receiving provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="student") | Q(guardian__isnull=False),
                name="cases_consent_guardian_named",
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer") | Q(recipient_provider__isnull=False),
                name="cases_consent_transfer_names_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on:%d.%m.%Y}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_written(self) -> bool:
        """LAW.md L-19-1, L-22-2: written (signed, or electronic and identified). An oral
        consent is recorded as a note and is no basis for members or disclosure."""
        return self.how in WRITTEN_FORMS

    def covers(self, user) -> bool:
        """Does this written consent name `user` by name (LAW.md L-19-1, L-19-2)? A role
        written beside the names is a description and grants nothing by itself."""
        if not self.is_active or not self.is_written:
            return False
        return self.named_members.filter(pk=user.pk).exists()

    def named_role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.named_roles]


#: The forms of consent that count as written (LAW.md L-19-1, §19(2) "kirjallinen").
WRITTEN_FORMS = frozenset({Consent.How.WRITTEN, Consent.How.ELECTRONIC})
