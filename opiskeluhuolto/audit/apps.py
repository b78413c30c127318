from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The one append-only audit trail of changes that decide who may read what.

    A low layer (ARCHITECTURE.md decisions 9 and 10): organisation, accounts and every
    feature app write to it through `audit.record`; its models import nothing of theirs.
    """

    name = "opiskeluhuolto.audit"
    label = "audit"
    verbose_name = _("Audit trail")
