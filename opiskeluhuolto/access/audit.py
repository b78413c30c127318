"""Who reads the audit trail of access rules (ARCHITECTURE.md decision 10).

The provider admin and the register responsible person (the controller's contact for
data protection, LAW.md L-21-1) read and export the events of their own providers, and
nothing of another provider's. Self-contained: the view policy, the scope and the
fetch of student names for the page live here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .permissions import Permissions, for_user
from .policies import _role_policy


def provider_ids(can: Permissions) -> frozenset[int]:
    """The providers whose audit trail this person reads."""
    return can.admin_provider_ids() | can.register_provider_ids


#: A provider admin or register responsible person of some provider.
reader = _role_policy("audit_reader", lambda can: bool(provider_ids(can)))


def events_scope(user) -> QuerySet:
    """The audit events this person may read; Http404 when none (as the policy answers)."""
    from opiskeluhuolto.audit.models import AuditEvent

    ids = provider_ids(for_user(user))
    if not ids:
        raise Http404
    return AuditEvent.objects.filter(provider_id_ref__in=ids)


def readable_providers(user) -> list[tuple[int, str]]:
    from opiskeluhuolto.organisation.models import Provider

    ids = provider_ids(for_user(user))
    return list(Provider.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


def student_names(user, student_ids) -> dict[int, str]:
    """Names of the students the events name, only within the reader's providers."""
    from opiskeluhuolto.organisation.models import Student

    ids = provider_ids(for_user(user))
    rows = Student.objects.filter(pk__in=set(student_ids) - {None})
    rows = rows.filter(institution__provider_id__in=ids).only("first_name", "last_name")
    return {s.pk: s.full_name for s in rows}
