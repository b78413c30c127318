"""What changes procedures: plain functions the views, API and tests call (safety records
are in `safety`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.meetings import inbox
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import RoleAssignment

from . import attachments
from .models import (
    Procedure,
    ProcedureVersion,
    ReadConfirmation,
)


def _clean_steps(steps: list) -> list[dict]:
    cleaned = []
    for step in steps or []:
        text = str((step or {}).get("text", "")).strip()
        if text:
            cleaned.append({"text": text, "role": str(step.get("role", "")).strip()})
    return cleaned


@transaction.atomic
def add_version(
    procedure: Procedure,
    *,
    steps: list,
    review_on: date,
    summary: str = "",
    change_note: str = "",
    translations: dict | None = None,
    by=None,
) -> ProcedureVersion:
    """A draft version: structured steps (each with its responsible role) and a review date;
    optionally the same text in Swedish and English (`translations`)."""
    cleaned = _check_text(
        procedure, steps, review_on, change_note, first=not procedure.versions.exists()
    )
    translated = _check_translations(translations, cleaned)
    last = (
        Procedure.objects.select_for_update()
        .filter(pk=procedure.pk)
        .aggregate(n=Max("versions__number"))["n"]
    )
    current = procedure.current()
    draft = ProcedureVersion.objects.create(
        procedure=procedure,
        number=(last or 0) + 1,
        steps=cleaned,
        summary=summary.strip(),
        change_note=change_note.strip(),
        review_on=review_on,
        translations=translated,
        written_by=by,
    )
    attachments.carry_over(current, draft)
    return draft


@transaction.atomic
def create_procedure(
    *,
    provider,
    institution,
    campus,
    kind: str,
    title: str,
    owner_group: Group,
    audience: list[str],
    steps: list,
    review_on: date,
    summary: str = "",
    translations: dict | None = None,
    by=None,
) -> Procedure:
    """A new procedure with its first version as a draft (published after approval)."""
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("A procedure needs a title.")
    if owner_group.provider_id != provider.pk:
        errors["owner_group"] = _("The owner group must be one of the provider's groups.")
    if campus is not None and (institution is None or campus.institution_id != institution.pk):
        errors["unit"] = _("The campus must be one of the institution's.")
    try:
        _check_translations(translations, _check_text(None, steps, review_on, "", first=True))
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    procedure = Procedure.objects.create(
        provider=provider,
        institution=institution,
        campus=campus,
        kind=kind,
        title=title.strip(),
        owner_group=owner_group,
        audience=list(audience),
    )
    add_version(
        procedure,
        steps=steps,
        review_on=review_on,
        summary=summary,
        translations=translations,
        by=by,
    )
    return procedure


def is_first_version(version: ProcedureVersion | None, procedure: Procedure | None = None) -> bool:
    """The first version of a procedure needs no change note; every later one does.
    `version` None: a new version about to be drafted for `procedure`."""
    if version is None:
        return procedure is None or not procedure.versions.exists()
    return not version.procedure.versions.filter(number__lt=version.number).exists()


def _check_text(procedure, steps, review_on, change_note, *, first: bool) -> list[dict]:
    errors = {}
    cleaned = _clean_steps(steps)
    if not cleaned:
        errors["steps"] = _("A procedure needs at least one step.")
    if review_on is None or review_on <= timezone.localdate():
        errors["review_on"] = _("The review date must be in the future.")
    if not first and not change_note.strip():
        errors["change_note"] = _("Say what changed from the previous version.")
    if errors:
        raise ValidationError(errors)
    return cleaned


#: The languages a version may be translated to (Finnish is the version's own text).
TRANSLATED = ("sv", "en")


def _check_translations(translations: dict | None, steps: list[dict]) -> dict:
    """The Swedish and English text of a version: each part optional (the reader gets the
    Finnish one where it is missing), but translated steps are the Finnish steps, as many
    and in the same order; a step's responsible role is the Finnish step's when not given."""
    errors = {}
    out: dict[str, dict] = {}
    for code, text in (translations or {}).items():
        if code not in TRANSLATED or not isinstance(text, dict):
            errors["translations"] = _("A procedure is translated to Swedish and English only.")
            continue
        clean: dict[str, Any] = {}
        for key in ("title", "summary"):
            if str(text.get(key) or "").strip():
                clean[key] = str(text[key]).strip()
        other = _clean_steps(text.get("steps") or [])
        if other and len(other) != len(steps):
            errors[f"steps_{code}"] = _(
                "The translation has %(n)s steps but the Finnish text has %(m)s:"
                " translate every step, in the same order."
            ) % {"n": len(other), "m": len(steps)}
        elif other:
            clean["steps"] = [
                {"text": o["text"], "role": o["role"] or fi["role"]}
                for o, fi in zip(other, steps, strict=True)
            ]
        if clean:
            out[code] = clean
    if errors:
        raise ValidationError(errors)
    return out


def _draft(version: ProcedureVersion) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        raise ValidationError(_("A published version cannot be changed; draft a new one."))
    return version


@transaction.atomic
def edit_draft(
    version: ProcedureVersion,
    *,
    steps: list,
    review_on: date,
    summary: str = "",
    change_note: str = "",
    translations: dict | None = None,
    by=None,
) -> ProcedureVersion:
    """Change a draft's text (and its translations); an approval given to the old text is
    withdrawn."""
    version = _draft(version)
    first = is_first_version(version)
    version.steps = _check_text(version.procedure, steps, review_on, change_note, first=first)
    kept = version.translations if translations is None else translations
    version.translations = _check_translations(kept, version.steps)
    version.review_on = review_on
    version.summary = summary.strip()
    version.change_note = change_note.strip()
    version.approved_by = None
    version.approved_at = None
    if by is not None:
        version.written_by = by
    version.save()
    return version


@transaction.atomic
def discard_draft(version: ProcedureVersion) -> None:
    """Delete a draft that was never published (published versions stay readable), and
    the stored files of its attachments that no other version refers to."""
    version = _draft(version)
    for attachment in list(version.attachments.all()):
        attachments.remove(attachment)
    version.delete()


def draft_of(procedure: Procedure) -> ProcedureVersion | None:
    """The unpublished version being written, if any (one at a time)."""
    return procedure.versions.filter(published_at__isnull=True).order_by("-number").first()


def is_author(version: ProcedureVersion, user) -> bool:
    """Whether `user` wrote the version's text (created it or last edited the draft).
    The author does not approve her own text: approval is a second person's act."""
    return version.written_by_id is not None and version.written_by_id == getattr(user, "pk", None)


@transaction.atomic
def approve(version: ProcedureVersion, *, by) -> ProcedureVersion:
    """Record who approved the draft and when; publishing needs it. The approver is
    someone else than the author (whether she manages the procedure is the caller's
    check, `access.procedures`)."""
    if version.published_at is not None:
        raise ValidationError(_("A published version cannot be approved again."))
    version = _draft(version)
    if is_author(version, by):
        raise ValidationError(
            _("You wrote this version: another person who manages the procedure approves it.")
        )
    version.approved_by = by
    version.approved_at = timezone.now()
    version.save(update_fields=["approved_by", "approved_at"])
    return version


@transaction.atomic
def publish(version: ProcedureVersion, *, by) -> ProcedureVersion:
    """Make an approved version current; the groups that follow the procedure get
    "review the updated procedure" on their next agenda, and the staff who must know it
    are asked to confirm reading it (they see it on their home page until they do)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    self_approved = (
        version.written_by_id is not None and version.approved_by_id == version.written_by_id
    )
    if version.approved_at is None or self_approved:
        raise ValidationError(
            {"approved_at": _("A version is published only after it has been approved.")}
        )
    if version.published_at is not None:
        return version
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    procedure = version.procedure
    link = reverse("procedures:detail", kwargs={"pk": procedure.pk})
    groups = {procedure.owner_group_id: procedure.owner_group}
    groups.update({g.pk: g for g in procedure.followers.all()})
    if version.number > 1:
        for group in groups.values():
            inbox.propose(
                group,
                _("Review the updated procedure: %(title)s") % {"title": procedure.title},
                detail=version.change_note,
                origin="procedures",
                link=link,
                key=f"procedures:{version.pk}",
            )
    return version


def must_know(procedure: Procedure, on: date | None = None) -> QuerySet:
    """The staff who must confirm reading it: the roles named, in a unit that covers it."""
    roles = procedure.must_know_roles or []
    if not roles:
        return get_user_model().objects.none()
    assignments = RoleAssignment.objects.valid_on(on or timezone.localdate()).filter(
        role__in=roles, provider_id=procedure.provider_id
    )
    if procedure.institution_id is not None:
        assignments = assignments.filter(
            Q(institution__isnull=True) | Q(institution_id=procedure.institution_id)
        )
        if procedure.campus_id is not None:
            assignments = assignments.filter(
                Q(campus__isnull=True) | Q(campus_id=procedure.campus_id)
            )
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"))
        .order_by("last_name", "first_name")
    )


def not_confirmed(version: ProcedureVersion) -> QuerySet:
    """Who must know the procedure and has not confirmed reading this version (the owner sees)."""
    return must_know(version.procedure).exclude(pk__in=version.confirmations.values("user_id"))


def confirm_read(version: ProcedureVersion, *, by) -> ReadConfirmation:
    if version.published_at is None:
        raise ValidationError(_("Only a published version can be confirmed as read."))
    confirmation, _created = ReadConfirmation.objects.get_or_create(version=version, user=by)
    return confirmation


def to_confirm(user) -> list[ProcedureVersion]:
    """Current versions this person must confirm and has not (their home panel)."""
    out = []
    procedures = Procedure.objects.filter(
        provider_id__in=RoleAssignment.objects.valid_on(timezone.localdate())
        .filter(user=user)
        .values("provider_id")
    )
    for procedure in procedures:
        current = procedure.current()
        if current is None or not procedure.must_know_roles:
            continue
        if current.confirmations.filter(user=user).exists():
            continue
        if must_know(procedure).filter(pk=user.pk).exists():
            out.append(current)
    return out


def reviews_due(today: date, within_days: int | None = None) -> list[ProcedureVersion]:
    """Current versions whose review date is near or past and not yet reminded of: within
    the procedure's own `review_remind_days` unless `within_days` is given."""
    out = []
    for procedure in Procedure.objects.select_related("owner_group"):
        current = procedure.current()
        if current is None or current.review_reminded_on is not None:
            continue
        days = procedure.review_remind_days if within_days is None else within_days
        if (current.review_on - today).days <= days:
            out.append(current)
    return out
