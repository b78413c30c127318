"""The audit trail of access rules (ARCHITECTURE.md decision 10).

Every change that decides who may read what (role assignments and their units,
guardianships, welfare-group and expert-group memberships, consents, guardian
prohibitions) writes one `AuditEvent` in the same transaction, through the action or
the Django admin that made it. The access log (records) records reads; this trail
records the changes of the rules behind them.

Append-only: `save()` refuses an update, `delete()` and the queryset's `update()` and
`delete()` refuse always (as records' `AppendOnly` does), and a database trigger
(migration 0001) refuses UPDATE, and on PostgreSQL DELETE too, for whoever bypasses
the ORM. Ids are plain integers, not foreign keys, so an event outlives the rows it
names and no cascade can change it. No personal identity codes are ever stored.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def of_provider(self, provider_id: int) -> AuditQuerySet:
        return self.filter(provider_id_ref=provider_id)


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        ROLE_ADDED = "role.add", _("role assigned")
        ROLE_CHANGED = "role.change", _("role assignment changed")
        ROLE_REMOVED = "role.remove", _("role assignment removed")
        GUARDIANSHIP_ADDED = "guardianship.add", _("guardianship added")
        GUARDIANSHIP_CHANGED = "guardianship.change", _("guardianship changed")
        GUARDIANSHIP_REMOVED = "guardianship.remove", _("guardianship removed")
        WELFARE_GROUP_MEMBER_ADDED = "welfare_group.add", _("welfare group member added")
        WELFARE_GROUP_MEMBER_REMOVED = "welfare_group.remove", _("welfare group member removed")
        EXPERT_GROUP_CHANGED = "expert_group.change", _("expert group changed")
        CONSENT_GIVEN = "consent.give", _("consent given")
        CONSENT_WITHDRAWN = "consent.withdraw", _("consent withdrawn")
        PROHIBITION_RECORDED = "prohibition.record", _("guardian prohibition recorded")
        PROHIBITION_LIFTED = "prohibition.lift", _("guardian prohibition lifted")
        PROCEDURE_SETTINGS_CHANGED = "procedure.settings", _("procedure settings changed")
        SURVEY_RESULTS_SHARED = "survey.share", _("survey results' readers changed")
        SURVEY_RESCHEDULED = "survey.reschedule", _("survey window or results date moved")
        ACCESS_REFUSED = "access_refusal.record", _("refusal of access recorded")
        ACCESS_REFUSAL_ENDED = "access_refusal.end", _("refusal of access ended")

    class Source(models.TextChoices):
        ACTION = "action", _("the application")
        ADMIN = "admin", _("Django admin")
        IMPORT = "import", _("import")

    at = models.DateTimeField(_("time"), default=timezone.now)
    provider_id_ref = models.IntegerField(_("provider"), null=True)
    actor_id = models.IntegerField(_("user id"), null=True)
    actor_name = models.CharField(_("who"), max_length=200, blank=True)
    source = models.CharField(_("made in"), max_length=10, choices=Source.choices)
    kind = models.CharField(_("change"), max_length=30, choices=Kind.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.BigIntegerField(_("object id"))
    student_id_ref = models.IntegerField(_("student"), null=True)
    before = models.JSONField(_("before"), null=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["provider_id_ref", "at"], name="audit_event_provider_idx"),
            models.Index(fields=["student_id_ref", "at"], name="audit_event_student_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")
