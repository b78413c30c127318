"""The head of each access-log chain, kept by the database as it appends (LAW.md L-906-3).

The hash chain shows a changed, inserted or removed row, except the last ones: a chain
cut short still links. `AccessLogHead` holds each chain's last `seq` and hash, written by
a trigger of the same statement that appends or chains the rows (records migration 0013),
and `verify_access_log` compares each chain's last row with it. A module of its own (the
model is imported by `records.models`) to keep that module short.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogHead(models.Model):
    """One chain's last row: only the database's triggers write it, and only forward."""

    chain = models.IntegerField(_("chain"), primary_key=True)
    seq = models.PositiveBigIntegerField(_("number"))
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        app_label = "records"
        verbose_name = _("access log chain head")
        verbose_name_plural = _("access log chain heads")

    def __str__(self) -> str:
        return f"{self.chain}: {self.seq}"
