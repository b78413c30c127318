"""Registering and answering data requests (LAW.md L-GDPR-3, L-GDPR-4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DataRequest


def register_request(student, *, by, kind: str) -> DataRequest:
    """A request for one's own data, with its deadline from the day it came in."""
    if kind not in DataRequest.Kind.values:
        raise ValidationError({"kind": _("Choose what you ask for.")})
    today = timezone.localdate()
    return DataRequest.objects.create(
        student=student,
        provider_id=student.institution.provider_id,
        requested_by=by,
        kind=kind,
        requested_on=today,
        due_on=DataRequest.deadline(kind, today),
    )


@transaction.atomic
def answer_request(req: DataRequest, *, by, answer: str) -> DataRequest:
    req = DataRequest.objects.select_for_update().get(pk=req.pk)
    if req.status != DataRequest.Status.OPEN:
        raise ValidationError(_("This request has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Say how the request was answered.")})
    req.status = DataRequest.Status.ANSWERED
    req.answered_at = timezone.now()
    req.answered_by = by
    req.answer = answer.strip()[:300]
    req.save(update_fields=["status", "answered_at", "answered_by", "answer"])
    return req
