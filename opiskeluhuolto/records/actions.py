"""State changes of the welfare register. Each writes its access-log row in the same
transaction (LAW.md L-906-1), and none changes what was written before (L-20-2)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opiskeluhuolto.access.cases import MEMBERSHIP, REGISTER_ADMIN
from opiskeluhuolto.access.permissions import Permissions
from opiskeluhuolto.cases.models import Case, Consent, ExpertGroupMembership
from opiskeluhuolto.lib.statute import names_a_section
from opiskeluhuolto.organisation.models import Provider

from . import log
from .models import (
    AccessLogEntry,
    AccessReview,
    Amendment,
    Disclosure,
    RecordEntry,
    RectificationRequest,
    WelfareRecord,
)


def _guardian_lines(student) -> str:
    lines = []
    for g in student.guardianships.select_related("guardian"):
        u = g.guardian
        contact = ", ".join(x for x in (u.email, u.phone) if x)
        lines.append(f"{u.display_name}{' – ' + contact if contact else ''}")
    return "\n".join(lines)


@transaction.atomic
def create_record(case: Case) -> WelfareRecord:
    """LAW.md L-20-1: one record per matter with the §20(4)(1)–(2) data (subject, background,
    initiator) captured now."""
    s = case.student
    contact = ", ".join(x for x in (s.address, s.email, s.phone) if x)
    return WelfareRecord.objects.create(
        case=case,
        student_id_ref=s.pk,
        student_name=s.full_name,
        student_hetu=s.hetu or "",
        home_municipality=s.home_municipality,
        contact_details=contact,
        guardians=_guardian_lines(s) if s.is_minor(case.opened_on) else "",
        subject=case.subject,
        background=case.background,
        initiator=case.initiator,
    )


def _record_for_writing(case: Case, by) -> tuple[WelfareRecord, ExpertGroupMembership]:
    """LAW.md L-20-4, L-19-3: only current members of an open case with an active consent
    write. Locks the case row so a withdrawal and an entry cannot cross."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    today = timezone.localdate()
    if not case.is_open:
        raise ValidationError(_("The case is closed: no new entries can be written."))
    if not case.consents.active().filter(kind=Consent.Kind.EXPERT_GROUP).exists():
        raise ValidationError(_("The consent has been withdrawn: no new entries can be written."))
    membership = case.memberships.active_on(today).filter(user=by).first()
    if membership is None:
        raise ValidationError(_("Only the members of the expert group can write entries."))
    return WelfareRecord.objects.get(case=case), membership


def _writer(case: Case, by) -> tuple[WelfareRecord, str, str]:
    """(record, access basis, the author's profession) for a correction, a rectification
    decision or a disclosure. On an open case: a current member (`_record_for_writing`).
    On a closed case nobody is a member: the provider's register administration acts, and
    its act is an entry and a log row like any other (LAW.md L-GDPR-3, L-20-2, L-21-1)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_open:
        record, membership = _record_for_writing(locked, by)
        return record, MEMBERSHIP, membership.position or by.title or "–"
    if not Permissions(by).administer_closed_case(locked):
        raise ValidationError(
            _("The case is closed: only the register administration can act on its record.")
        )
    role = log.actor_role(by, locked) or "–"
    administration = _("register administration")
    profession = f"{role}, {administration}"[:200]
    return WelfareRecord.objects.get(case=locked), REGISTER_ADMIN, profession


MEETING_REQUIRED = {
    "meeting_date": gettext_lazy("Give the date of the meeting."),
    "decisions": gettext_lazy("Write the decisions made at the meeting."),
    "plan": gettext_lazy("Write the plan for carrying out the decisions."),
    "implementers": gettext_lazy("Say who carries out the decisions."),
    "followers": gettext_lazy("Say who follows them up."),
}


def validate_participants(participants: list) -> list[dict]:
    """LAW.md L-20-3: every participant with a position or role."""
    cleaned = []
    for p in participants or []:
        name, position = (p.get("name") or "").strip(), (p.get("position") or "").strip()
        if not name and not position:
            continue
        if not name or not position:
            raise ValidationError(
                {
                    "participants": _(
                        "Give each participant's name and position, e.g. “Kaisa Kuusela, kuraattori”."
                    )
                }
            )
        cleaned.append({"name": name, "position": position})
    if not cleaned:
        raise ValidationError({"participants": _("List the people present at the meeting.")})
    return cleaned


@transaction.atomic
def add_entry(
    case: Case,
    *,
    by,
    kind: str,
    text: str = "",
    meeting_date: date | None = None,
    participants: list | None = None,
    decisions: str = "",
    plan: str = "",
    implementers: str = "",
    followers: str = "",
    follow_up_on: date | None = None,
    request=None,
) -> RecordEntry:
    """Append an entry; author, time and profession come from the system (LAW.md L-20-1..3,
    L-18-3). Two entries written at the same moment both land: nothing is overwritten."""
    record, membership = _record_for_writing(case, by)
    values = {
        "meeting_date": meeting_date,
        "decisions": (decisions or "").strip(),
        "plan": (plan or "").strip(),
        "implementers": (implementers or "").strip(),
        "followers": (followers or "").strip(),
    }
    if kind not in {k for k, _label in RecordEntry.Kind.choices} or kind in (
        RecordEntry.Kind.DISCLOSURE,
        RecordEntry.Kind.RECTIFICATION,
        RecordEntry.Kind.EVENT,
    ):
        raise ValidationError({"kind": _("Choose the kind of entry.")})
    if kind == RecordEntry.Kind.MEETING:
        errors: dict[str, object] = {k: msg for k, msg in MEETING_REQUIRED.items() if not values[k]}
        try:
            participants = validate_participants(participants or [])
        except ValidationError as e:
            errors.update({k: v[0] for k, v in e.message_dict.items()})
        if errors:
            raise ValidationError(errors)
    elif not (text or "").strip():
        raise ValidationError({"text": _("Write the entry.")})
    entry = RecordEntry.objects.create(
        record=record,
        kind=kind,
        text=(text or "").strip(),
        participants=participants if kind == RecordEntry.Kind.MEETING else [],  # type: ignore[misc]  # an EncryptedJSONField holds any JSON; the stubs know only its base
        follow_up_on=follow_up_on,
        author=by,
        author_name=by.display_name,
        author_profession=membership.position or by.title or "–",
        **values,
    )
    if follow_up_on:
        Case.objects.filter(pk=case.pk).update(next_follow_up_on=follow_up_on)
    log.append(
        by,
        action=AccessLogEntry.Action.CREATE,
        basis=MEMBERSHIP,
        purpose="entry",
        record=record,
        request=request,
    )
    return entry


def _system_entry(
    record: WelfareRecord, *, by, kind: str, text: str, profession: str = ""
) -> RecordEntry:
    return RecordEntry.objects.create(
        record=record,
        kind=kind,
        text=text,
        author=by,
        author_name=by.display_name,
        author_profession=(profession or log.actor_role(by, record.case) or "–")[:200],
    )


@transaction.atomic
def write_event(case: Case, *, by, text: str) -> RecordEntry | None:
    """A consent or group change, written into the record (LAW.md L-20-8)."""
    record = WelfareRecord.objects.filter(case=case).first()
    if record is None:
        return None
    return _system_entry(record, by=by, kind=RecordEntry.Kind.EVENT, text=text)


STALE_AMENDMENT = gettext_lazy(
    "Someone amended this entry after you opened it. Your text was not saved over theirs: "
    "read the latest amendment below and amend again if still needed."
)


@transaction.atomic
def amend_entry(
    entry: RecordEntry, *, by, text: str, reason: str, expected_version: int, request=None
) -> Amendment:
    """LAW.md L-20-2, L-GDPR-3: a correction with author, time and reason; the entry stays.
    Refused when the entry changed since the editor loaded it (optimistic version check).
    On a closed case the register administration corrects, and an entry says so."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Write the correction.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the correction.")
    if errors:
        raise ValidationError(errors)
    record, basis, profession = _writer(entry.record.case, by)
    locked = RecordEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.version != expected_version:
        raise ValidationError(STALE_AMENDMENT, code="stale")
    amendment = Amendment.objects.create(
        entry=locked,
        text=text.strip(),
        reason=reason.strip(),
        author=by,
        author_name=by.display_name,
        author_profession=profession,
        version=locked.version + 1,
    )
    RecordEntry.objects.filter(pk=locked.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if basis == REGISTER_ADMIN:
        _system_entry(
            record,
            by=by,
            kind=RecordEntry.Kind.EVENT,
            profession=profession,
            text=_("The register administration corrected the entry of %(date)s (%(kind)s).")
            % {
                "date": timezone.localtime(locked.created_at).strftime("%d.%m.%Y"),
                "kind": locked.get_kind_display(),
            },
        )
    log.append(
        by,
        action=AccessLogEntry.Action.AMEND,
        basis=basis,
        purpose="amendment",
        record=record,
        request=request,
    )
    return amendment


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _transfer_provider(case: Case, recipient: str, recipient_provider: Provider | None):
    """The other education provider the data go to, if this is a transfer (LAW.md L-23-1):
    the one chosen, or the one the recipient's name names."""
    own = case.institution.provider_id
    if recipient_provider is not None:
        return recipient_provider if recipient_provider.pk != own else None
    return Provider.objects.exclude(pk=own).filter(name__iexact=recipient).first()


def _disclosure_errors(case, *, recipient, data_items, basis, consent, statute_reference, to):
    errors: dict[str, str] = {}
    if not recipient:
        errors["recipient"] = _("Name the recipient.")
    if not data_items:
        errors["data_items"] = _("Say what information is disclosed.")
    if basis == Disclosure.Basis.CONSENT:
        if consent is None or consent.student_id != case.student_id or not consent.is_active:
            errors["consent"] = _("Choose an active consent of this student.")
        elif not consent.is_written:
            errors["consent"] = _(
                "An oral consent is no basis for disclosure: it needs a written consent "
                "naming the recipient (§22(2))."
            )
        elif to is not None and (
            consent.kind != Consent.Kind.TRANSFER or consent.recipient_provider_id != to.pk
        ):
            errors["consent"] = _(
                "A transfer to %(provider)s needs the consent to transfer to that provider "
                "(§23(3))."
            ) % {"provider": to.name}
        elif consent.kind not in (Consent.Kind.DISCLOSURE, Consent.Kind.TRANSFER):
            errors["consent"] = _("The consent must be a consent to disclose to a named recipient.")
        elif recipient and not _same(consent.recipient, recipient):
            errors["recipient"] = _(
                "The consent names another recipient (%(name)s). Disclose only to the recipient "
                "the consent names."
            ) % {"name": consent.recipient}
    elif basis == Disclosure.Basis.STATUTE:
        if to is not None:
            errors["basis"] = _(
                "A transfer to another education provider needs the consent to transfer to "
                "that provider (§23(3)); a section of law does not replace it."
            )
        elif not names_a_section(statute_reference):
            errors["statute_reference"] = _(
                "Give the section of law that allows the disclosure, with its number, "
                "for example “Lastensuojelulaki 25 §”."
            )
    else:
        errors["basis"] = _(
            "Choose the legal basis: a consent naming the recipient, or a section of law."
        )
    return errors


@transaction.atomic
def disclose(
    case: Case,
    *,
    by,
    recipient: str,
    data_items: str,
    basis: str,
    consent: Consent | None = None,
    statute_reference: str = "",
    recipient_provider: Provider | None = None,
    request=None,
) -> Disclosure:
    """LAW.md L-22-2, L-20-7, L-906-2, L-23-1: what, to whom, on what basis; writes the
    record entry, the disclosure row and the access log in one transaction.

    The basis is a written consent naming the recipient, or a section of law named by its
    number. A transfer to another education provider needs that provider's transfer
    consent; no section replaces it. On a closed case the register administration
    discloses (`_writer`)."""
    recipient, data_items = (recipient or "").strip(), (data_items or "").strip()
    statute_reference = (statute_reference or "").strip()
    to = _transfer_provider(case, recipient, recipient_provider)
    errors = _disclosure_errors(
        case,
        recipient=recipient,
        data_items=data_items,
        basis=basis,
        consent=consent,
        statute_reference=statute_reference,
        to=to,
    )
    if errors:
        raise ValidationError(errors)
    if basis == Disclosure.Basis.STATUTE:
        consent = None
    record, access_basis, profession = _writer(case, by)
    basis_text = (
        _("consent given %(date)s") % {"date": consent.given_on.strftime("%d.%m.%Y")}
        if consent
        else statute_reference
    )
    entry = _system_entry(
        record,
        by=by,
        kind=RecordEntry.Kind.DISCLOSURE,
        profession=profession,
        text=_("Disclosed to %(recipient)s: %(data)s. Basis: %(basis)s.")
        % {"recipient": recipient, "data": data_items, "basis": basis_text},
    )
    disclosure = Disclosure.objects.create(
        record=record,
        recipient=recipient,
        recipient_provider=to,
        data_items=data_items,
        basis=basis,
        consent=consent,
        statute_reference=statute_reference if consent is None else "",
        disclosed_by=by,
        entry=entry,
    )
    log.append(
        by,
        action=AccessLogEntry.Action.DISCLOSE,
        basis=access_basis,
        purpose="disclosure",
        record=record,
        request=request,
    )
    return disclosure


@transaction.atomic
def request_rectification(case: Case, *, by, text: str) -> RectificationRequest:
    """LAW.md L-GDPR-3: the student or guardian asks for a correction."""
    if not (text or "").strip():
        raise ValidationError(
            {"text": _("Say what is wrong in the record and how it should read.")}
        )
    record = WelfareRecord.objects.get(case=case)
    return RectificationRequest.objects.create(record=record, requested_by=by, text=text.strip())


@transaction.atomic
def decide_rectification(
    req: RectificationRequest, *, by, accepted: bool, decision: str, request=None
) -> RectificationRequest:
    """The decision becomes an entry of the record (LAW.md L-GDPR-3): by a member of the
    open case, or by the register administration once the case is closed."""
    req = RectificationRequest.objects.select_for_update().get(pk=req.pk)
    if req.status != RectificationRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not (decision or "").strip():
        raise ValidationError({"decision": _("Write the decision and its grounds.")})
    record, basis, profession = _writer(req.record.case, by)
    verdict = (
        _("Rectification request accepted.") if accepted else _("Rectification request rejected.")
    )
    entry = _system_entry(
        record,
        by=by,
        kind=RecordEntry.Kind.RECTIFICATION,
        text=f"{verdict} {decision.strip()}",
        profession=profession,
    )
    req.status = (
        RectificationRequest.Status.ACCEPTED if accepted else RectificationRequest.Status.REJECTED
    )
    req.decided_by, req.decided_at, req.decision_entry = by, timezone.now(), entry
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_entry"])
    log.append(
        by,
        action=AccessLogEntry.Action.CREATE,
        basis=basis,
        purpose="rectification",
        record=record,
        request=request,
    )
    return req


@transaction.atomic
def set_legal_hold(case_id: int, *, reason: str) -> WelfareRecord:
    """LAW.md L-RET-5: a record under legal hold is not destroyed when its time comes."""
    record = WelfareRecord.objects.select_for_update().get(case_id=case_id)
    record.legal_hold, record.legal_hold_reason = bool(reason.strip()), reason.strip()[:300]
    record.save(update_fields=["legal_hold", "legal_hold_reason"])
    return record


@transaction.atomic
def record_access_review(provider_ids, *, by, note: str = "") -> list[AccessReview]:
    """LAW.md L-906-4: the provider admin records that the access rights were reviewed."""
    return [
        AccessReview.objects.create(provider_id=pk, reviewed_by=by, note=(note or "").strip())
        for pk in sorted(provider_ids)
    ]
