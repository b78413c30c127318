"""The rules of announcements: drafts, the personal-data check, scheduling, queueing, reading.

Views and the API call these; tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.meetings import minutes_check

from . import audience
from .models import Announcement, Delivery, Preference, Unsubscription

FIELDS = (
    "kind",
    "audience",
    "institution",
    "campus",
    "student_group",
    "starting_year",
    "welfare_group",
    "title_fi",
    "body_fi",
    "title_sv",
    "body_sv",
    "title_en",
    "body_en",
    "is_public",
    "send_at",
)


def _validate(a: Announcement) -> None:
    errors: dict[str, str] = {}
    campus, student_group = a.campus, a.student_group
    if campus is not None and a.institution_id and campus.institution_id != a.institution_id:
        errors["campus"] = _("The campus belongs to another institution.")
    if campus is not None and not a.institution_id:
        a.institution_id = campus.institution_id
    if student_group is not None:
        if a.institution_id and student_group.institution_id != a.institution_id:
            errors["student_group"] = _("The group belongs to another institution.")
        a.institution_id = a.institution_id or student_group.institution_id
    institution = a.institution
    if institution is not None and institution.provider_id != a.provider_id:
        errors["institution"] = _("The institution belongs to another provider.")
    welfare_group = a.welfare_group
    if a.audience == Announcement.Audience.WELFARE_GROUP:
        if welfare_group is None:
            errors["welfare_group"] = _("Choose the welfare group.")
        elif welfare_group.provider_id != a.provider_id:
            errors["welfare_group"] = _("The group belongs to another provider.")
    elif a.welfare_group_id:
        errors["welfare_group"] = _(
            "A welfare group is only chosen for the audience 'a welfare group'."
        )
    for lang in ("sv", "en"):
        title, body = getattr(a, f"title_{lang}"), getattr(a, f"body_{lang}")
        if bool(title.strip()) != bool(body.strip()):
            errors[f"body_{lang}" if title.strip() else f"title_{lang}"] = _(
                "Give both the title and the text of a translation, or neither."
            )
    if errors:
        raise ValidationError(errors)
    a.full_clean(exclude=["created_by", "clock_item", "clock_year"], validate_constraints=False)


def _check_writer(a: Announcement, by, campus_ids: list[int]) -> None:
    """The writer may address the audience (`access.communication`, the rule of the
    form's choices and of `manage_announcement`): a draft is never saved that its writer
    could not open afterwards."""
    from opiskeluhuolto.access import for_user

    can = for_user(by)
    if a.welfare_group_id and a.welfare_group_id in can.organiser_group_ids():
        return
    allowed = can.addressable(a.provider_id)
    if allowed.allows(a.institution_id, campus_ids):
        return
    institutions = allowed.institution_ids()
    if campus_ids and (institutions is None or a.institution_id in institutions):
        raise ValidationError(
            {"campuses": _("Choose only campuses your role covers: you cannot write to others.")}
        )
    raise ValidationError(
        {
            "institution": _(
                "Your role does not cover this audience. Choose an institution, or campuses, "
                "that your role covers."
            )
        }
    )


@transaction.atomic
def save_draft(a: Announcement, *, by, campuses=None) -> Announcement:
    """Create or edit a draft (only drafts and scheduled ones may change). `campuses`,
    when given, is the whole choice of campuses of the institution (none: all of them);
    without it the draft's `campus` stays as it is."""
    if a.pk:
        current = Announcement.objects.select_for_update().get(pk=a.pk)
        if current.status not in (Announcement.Status.DRAFT, Announcement.Status.SCHEDULED):
            raise ValidationError(_("A sent announcement can no longer be edited."))
    else:
        a.created_by = by
    several = None
    if campuses is not None:
        campuses = list(campuses)
        institutions = {c.institution_id for c in campuses}
        if not a.institution_id and len(institutions) == 1:
            a.institution_id = institutions.pop()
        if any(c.institution_id != a.institution_id for c in campuses):
            raise ValidationError(
                {"campuses": _("Choose campuses of the institution of the audience.")}
            )
        group = a.student_group
        if group is not None and campuses and group.campus_id not in {c.pk for c in campuses}:
            raise ValidationError({"student_group": _("The group studies on another campus.")})
        # One campus is kept as the campus; several in the many-to-many field.
        a.campus = campuses[0] if len(campuses) == 1 else None
        several = campuses if len(campuses) > 1 else []
    _validate(a)
    _check_writer(a, by, a.campus_ids() if several is None else [c.pk for c in campuses or []])
    a.save()
    if several is not None:
        a.campuses.set(several)
    return a


@dataclass(frozen=True)
class Preview:
    language: str
    title: str
    body: str


def previews(a: Announcement) -> list[Preview]:
    """What each language's readers get (Finnish where no translation is given)."""
    return [Preview(lang, a.title_in(lang), a.body_in(lang)) for lang in ("fi", "sv", "en")]


def personal_data_warnings(a: Announcement) -> list[minutes_check.Finding]:
    """The minutes' personal-data check (LAW.md L-14-2) over every language of the text."""
    text = "\n".join(
        getattr(a, f"{part}_{lang}") for lang in ("fi", "sv", "en") for part in ("title", "body")
    )
    from opiskeluhuolto.organisation.models import Institution

    institutions = (
        [a.institution_id]
        if a.institution_id
        else list(
            Institution.objects.filter(provider_id=a.provider_id).values_list("pk", flat=True)
        )
    )
    return minutes_check.find_identifiers(text, institutions)


@transaction.atomic
def schedule(
    a: Announcement, *, by, send_at=None, confirmed: bool = False, defer: bool = False
) -> Announcement:
    """Send now (send_at None or past) or at `send_at`.

    The personal-data warnings stop the send until the writer confirms having checked
    them (`confirmed`), as with the minutes. With `defer` (the web page) the recipients
    are queued by the task worker after the commit, so a newsletter to 20,000 guardians
    never holds up the writer's request.
    """
    a = Announcement.objects.select_for_update().get(pk=a.pk)
    if a.status not in (Announcement.Status.DRAFT, Announcement.Status.SCHEDULED):
        raise ValidationError(_("This announcement has already been sent."))
    warnings = personal_data_warnings(a)
    if warnings and not confirmed:
        raise ValidationError(
            {
                "confirmed": _(
                    "The text may identify a student (%(found)s). Remove it, or confirm "
                    "that nothing confidential is sent."
                )
                % {"found": ", ".join(f.text for f in warnings)}
            }
        )
    a.send_at = send_at or timezone.now()
    a.status = Announcement.Status.SCHEDULED
    a.save(update_fields=["send_at", "status"])
    if a.send_at <= timezone.now():
        if defer:
            from . import tasks

            pk = a.pk
            transaction.on_commit(lambda: tasks.queue_announcement.enqueue(pk))
        else:
            queue(a)
    return a


def reader_languages(user_ids: list[int]) -> dict[int, str]:
    """Each reader's chosen language (fi, sv or en) by user id; those who never chose are
    missing (the caller falls back to Finnish). Other apps' e-mails use it too."""
    return dict(Preference.objects.filter(user_id__in=user_ids).values_list("user_id", "language"))


@transaction.atomic
def queue(a: Announcement) -> int:
    """Create every recipient's delivery in one transaction, then hand the e-mail to the worker.

    `ignore_conflicts` with the unique (announcement, user) constraint makes a second
    queueing a no-op for those already queued. Returns the number of new rows.
    """
    a = Announcement.objects.select_for_update().get(pk=a.pk)
    if a.status == Announcement.Status.SENT:
        return 0
    today = timezone.localdate()
    users = list(audience.recipients(a, today).values_list("pk", "email"))
    languages = reader_languages([pk for pk, _email in users])
    before = Delivery.objects.filter(announcement=a).count()
    Delivery.objects.bulk_create(
        [
            Delivery(
                announcement=a,
                user_id=pk,
                email=email or "",
                language=languages.get(pk, "fi"),
                email_status=Delivery.Email.PENDING if email else Delivery.Email.NONE,
            )
            for pk, email in users
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    a.status = Announcement.Status.SENDING
    a.sent_at = a.sent_at or timezone.now()
    a.save(update_fields=["status", "sent_at"])
    from . import tasks

    pk = a.pk
    transaction.on_commit(lambda: tasks.send_announcement.enqueue(pk))
    return Delivery.objects.filter(announcement=a).count() - before


def queue_due(now=None) -> int:
    """Queue the scheduled announcements whose time has come, and retry unfinished sends."""
    now = now or timezone.now()
    count = 0
    for a in Announcement.objects.filter(status=Announcement.Status.SCHEDULED, send_at__lte=now):
        queue(a)
        count += 1
    from . import tasks

    for pk in Announcement.objects.filter(status=Announcement.Status.SENDING).values_list(
        "pk", flat=True
    ):
        tasks.send_announcement.enqueue(pk)
    return count


def mark_read(delivery: Delivery) -> None:
    if delivery.read_at is None:
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def unsubscribe(user_id: int, provider_id: int) -> None:
    Unsubscription.objects.get_or_create(user_id=user_id, provider_id=provider_id)


def set_language(user, language: str) -> None:
    if language not in ("fi", "sv", "en"):
        raise ValidationError({"language": _("Choose Finnish, Swedish or English.")})
    Preference.objects.update_or_create(user=user, defaults={"language": language})
