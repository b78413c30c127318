"""Registering and answering data requests (LAW.md L-GDPR-3, L-GDPR-4), and the refusals
of access recorded with an answer (L-GDPR-5)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto import audit
from opiskeluhuolto.access import privacy as access
from opiskeluhuolto.access.models import AccessRestriction
from opiskeluhuolto.cases.models import Case

from .models import DataRequest

Outcome, Ground = DataRequest.Outcome, DataRequest.Ground


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


def check_outcome(
    req: DataRequest, outcome: str, ground: str, reason: str, cases: Iterable[int] = ()
) -> None:
    """The outcome's own requirements: data withheld needs a legal ground and a reason told
    to the requester (GDPR Art 12(4)); the minor's prohibition (OHL 18 § 2) is a ground
    only against a guardian, and only while one is in force (recorded on the case). An
    answer in part under the Data Protection Act 34 § names the student's matters
    withheld, at least one."""
    errors: dict[str, str] = {}
    if outcome == Outcome.PARTLY and ground != Ground.PROHIBITION:
        cases = set(cases)
        if not cases:
            errors["cases"] = _("Tick at least one matter withheld from the requester.")
        elif len(cases) != Case.objects.filter(student=req.student, pk__in=cases).count():
            errors["cases"] = _("Tick only the student's own matters.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome of the request.")
    elif outcome in DataRequest.WITHHOLDING:
        if ground not in Ground.values:
            errors["ground"] = _("Choose the legal ground of the refusal.")
        elif ground == Ground.PROHIBITION:
            if not access.acts_as_guardian(req.requested_by, req.student):
                errors["ground"] = _("The minor's prohibition concerns only a guardian.")
            elif not access.prohibition_in_force(req.student, whole=outcome == Outcome.REFUSED):
                errors["ground"] = _(
                    "No such prohibition of the minor is in force: it is recorded on the "
                    "case first."
                )
        if not reason:
            errors["reason"] = _("Write the reason of the refusal; it is told to the requester.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def answer_request(
    req: DataRequest,
    *,
    by,
    answer: str,
    outcome: str,
    ground: str = "",
    reason: str = "",
    cases: Iterable[int] = (),
) -> DataRequest:
    """Record how the request was answered and its outcome. A request refused under the
    Data Protection Act 34 § becomes a standing refusal of the requester's access to all
    the student's matters (the guardian's, or the student's own: `AccessRestriction`);
    one answered in part, a refusal of each matter withheld (`cases`). Each is in force
    until the register responsible person ends it, and audited (ARCHITECTURE.md
    decision 10)."""
    req = DataRequest.objects.select_for_update().select_related("student").get(pk=req.pk)
    if req.status != DataRequest.Status.OPEN:
        raise ValidationError(_("This request has already been answered."))
    reason = reason.strip()
    cases = sorted(set(cases))
    check_outcome(req, outcome, ground, reason, cases)
    if not answer.strip():
        raise ValidationError({"answer": _("Say how the request was answered.")})
    withheld = outcome in DataRequest.WITHHOLDING
    req.status = DataRequest.Status.ANSWERED
    req.answered_at = timezone.now()
    req.answered_by = by
    req.answer = answer.strip()[:300]
    req.outcome = outcome
    req.ground = ground if withheld else ""
    req.reason = reason if withheld else ""
    req.save(
        update_fields=["status", "answered_at", "answered_by", "answer", "outcome", "ground"]
        + ["reason"]
    )
    if withheld and ground in (Ground.HEALTH, Ground.OTHERS):
        # None: all the student's matters (refused); else each matter withheld (in part).
        matters: list[int | None] = [None] if outcome == Outcome.REFUSED else list(cases)
        for case_id in matters:
            restriction = AccessRestriction.objects.create(
                student=req.student,
                person=req.requested_by,
                case_id=case_id,
                ground=ground,
                recorded_by=by,
            )
            req.restrictions.add(restriction)
            _record(audit.Kind.ACCESS_REFUSED, restriction, req.pk, by=by, before=None)
    return req


@transaction.atomic
def end_restriction(restriction: AccessRestriction, *, by) -> AccessRestriction:
    """The register responsible person ends a refusal of access: the person's access is
    again what the other rules give. Ended once; the row stays."""
    restriction = (
        AccessRestriction.objects.select_for_update()
        .select_related("student__institution")
        .get(pk=restriction.pk)
    )
    if restriction.ended_at is not None:
        raise ValidationError(_("This refusal of access has already ended."))
    requests = DataRequest.objects.filter(restrictions=restriction)
    request_id = requests.values_list("pk", flat=True).first()
    before = _state(restriction, request_id)
    restriction.ended_at = timezone.now()
    restriction.ended_by = by
    restriction.save(update_fields=["ended_at", "ended_by"])
    _record(audit.Kind.ACCESS_REFUSAL_ENDED, restriction, request_id, by=by, before=before)
    return restriction


def _state(restriction: AccessRestriction, request_id: int | None) -> dict:
    """What the audit trail keeps: who is refused whose data (all matters: no case), on
    which ground, at which request, until when; never the reason's text."""
    values = audit.state(restriction, "student", "person", "case", "ground", "ended_at", "ended_by")
    return values | {"request": request_id}


def _record(
    kind: str, restriction: AccessRestriction, request_id: int | None, *, by, before
) -> None:
    audit.record(
        kind,
        restriction,
        by=by,
        provider_id=restriction.student.institution.provider_id,
        student_id=restriction.student_id,
        before=before,
        after=_state(restriction, request_id),
    )
