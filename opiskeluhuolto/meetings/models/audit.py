from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunalEvent(models.Model):
    """The audit trail of communal welfare: who changed what, written inside each action.

    Holds opaque ids only (never minutes text or names). The annual clock keeps its own
    rows (`annualclock.ClockEvent`); changes of group membership, which decide who reads
    the minutes, go to the shared trail of access rules too (`opiskeluhuolto.audit`).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("event"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))

    class Meta:
        verbose_name = _("communal welfare event")
        verbose_name_plural = _("communal welfare events")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="meetings_event_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type}:{self.object_id}"


def record(actor, verb: str, obj) -> CommunalEvent:
    return CommunalEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
    )
