"""The welfare plan's life: draft → comments → approved and published → a new draft.

LAW.md L-13-1 (statutory sections, versions, approval, participation log),
L-13-2 (review reminders), L-13-3 / L-11-1 (the approved plan is public), §11
(students and guardians are told about the services every year).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation.models import Institution, Provider, Student

from .models import (
    Group,
    Membership,
    ParticipationRecord,
    PlanComment,
    PlanEvaluation,
    PlanReference,
    PlanSection,
    PlanVersion,
    ServiceAnnouncement,
    WelfarePlan,
)
from .models.audit import record
from .models.plans import STATUTORY_SECTIONS


@transaction.atomic
def create_plan(
    *,
    by,
    provider: Provider,
    title: str,
    institutions: list[Institution],
    extra_sections: Sequence[str] = (),
    review_interval_months: int = 48,
) -> WelfarePlan:
    """A plan with its first draft: the statutory sections plus the configured extra ones."""
    if not institutions:
        raise ValidationError({"institutions": _("Choose at least one institution.")})
    if any(i.provider_id != provider.pk for i in institutions):
        raise ValidationError({"institutions": _("The institution belongs to another provider.")})
    plan = WelfarePlan.objects.create(
        provider=provider,
        title=title,
        extra_sections="\n".join(extra_sections),
        review_interval_months=review_interval_months,
    )
    plan.institutions.set(institutions)
    version = PlanVersion.objects.create(
        plan=plan, number=1, status=PlanVersion.Status.DRAFT, created_by=by
    )
    sections = [
        PlanSection(version=version, key=key, title=str(label), order=n, is_statutory=True)
        for n, (key, label) in enumerate(STATUTORY_SECTIONS)
    ]
    sections += [
        PlanSection(version=version, key=f"extra-{n}", title=t, order=100 + n)
        for n, t in enumerate(extra_sections)
    ]
    PlanSection.objects.bulk_create(sections)
    record(by, "plan.create", plan)
    return plan


def _editable(version: PlanVersion) -> PlanVersion:
    locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("This version is approved and cannot be changed. Start a new draft to edit the plan.")
        )
    return locked


@transaction.atomic
def edit_section(section: PlanSection, *, by, body: str, lock: int) -> PlanSection:
    """Change a section of a draft; a stale `lock` (someone saved meanwhile) is refused."""
    version = _editable(section.version)
    if version.lock != lock:
        raise ValidationError(
            _("Someone else saved the plan meanwhile. Reload the page; your text is below.")
        )
    section.body = body
    section.save(update_fields=["body"])
    version.lock += 1
    version.save(update_fields=["lock"])
    record(by, "plan.section.edit", section)
    return section


@transaction.atomic
def add_section(version: PlanVersion, *, by, title: str) -> PlanSection:
    version = _editable(version)
    title = " ".join(title.split())
    if version.sections.filter(title__iexact=title).exists():
        raise ValidationError({"title": _("The plan already has that section.")})
    n = version.sections.count()
    section = PlanSection.objects.create(
        version=version, key=f"extra-{n}-{version.lock}", title=title, order=100 + n
    )
    record(by, "plan.section.add", section)
    return section


@transaction.atomic
def new_draft(plan: WelfarePlan, *, by) -> PlanVersion:
    """Editing a published plan makes a new draft; the published version never changes."""
    latest = plan.versions.order_by("-number").first()
    if latest and latest.is_editable:
        return latest
    version = PlanVersion(
        plan=plan,
        number=(latest.number + 1) if latest else 1,
        status=PlanVersion.Status.DRAFT,
        created_by=by,
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:  # another draft was started at the same moment
        return plan.versions.get(status__in=["draft", "comments"])
    if latest:
        PlanSection.objects.bulk_create(
            PlanSection(
                version=version,
                key=s.key,
                title=s.title,
                body=s.body,
                order=s.order,
                is_statutory=s.is_statutory,
            )
            for s in latest.sections.all()
        )
        PlanReference.objects.bulk_create(
            PlanReference(
                version=version,
                kind=r.kind,
                plan_id=r.plan_id,
                title=r.title,
                url=r.url,
                shared_goals=r.shared_goals,
                order=r.order,
            )
            for r in latest.references.all()
        )
    record(by, "plan.draft", version)
    return version


@transaction.atomic
def open_for_comments(version: PlanVersion, *, by) -> PlanVersion:
    version = _editable(version)
    version.status = PlanVersion.Status.COMMENTS
    version.save(update_fields=["status"])
    record(by, "plan.comments.open", version)
    return version


@transaction.atomic
def comment(version: PlanVersion, *, by, participant: str, text: str, section=None) -> PlanComment:
    if version.status != PlanVersion.Status.COMMENTS:
        raise ValidationError(_("This version is not open for comments."))
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    row = PlanComment.objects.create(
        version=version, section=section, author=by, participant=participant, text=text.strip()
    )
    record(by, "plan.comment", row)
    return row


@transaction.atomic
def record_participation(
    version: PlanVersion, *, by, participant: str, description: str, on: date
) -> ParticipationRecord:
    row = ParticipationRecord(
        version=version, participant=participant, description=description, on=on
    )
    row.full_clean()
    row.save()
    record(by, "plan.participation", row)
    return row


@transaction.atomic
def evaluate(plan: WelfarePlan, *, by, text: str, written_on: date) -> PlanEvaluation:
    """A self-monitoring note on how the plan is carried out (LAW.md L-13-2, §13(4))."""
    if not text.strip():
        raise ValidationError({"text": _("Write the evaluation.")})
    note = PlanEvaluation.objects.create(
        plan=plan, author=by, text=text.strip(), written_on=written_on
    )
    record(by, "plan.evaluate", note)
    return note


def participation_summary(version: PlanVersion) -> dict[str, int]:
    """How many took part, by group (comments and recorded hearings): LAW.md L-13-1."""
    summary: dict[str, int] = {}
    for p in version.comments.values_list("participant", flat=True):
        summary[p] = summary.get(p, 0) + 1
    for p in version.participation.values_list("participant", flat=True):
        summary[p] = summary.get(p, 0) + 1
    return summary


@transaction.atomic
def approve_and_publish(
    version: PlanVersion, *, by, approved_on: date, approved_by_body: str
) -> PlanVersion:
    version = _editable(version)
    if not all(s.body.strip() for s in version.sections.filter(is_statutory=True)):
        raise ValidationError(
            _("Every section required by law must have text before the plan is approved.")
        )
    PlanVersion.objects.filter(plan=version.plan, status=PlanVersion.Status.PUBLISHED).update(
        status=PlanVersion.Status.SUPERSEDED
    )
    version.status = PlanVersion.Status.PUBLISHED
    version.approved_on = approved_on
    version.approved_by_body = approved_by_body
    version.published_at = timezone.now()
    version.save()
    plan = version.plan
    plan.next_review_on = approved_on + relativedelta(months=plan.review_interval_months)
    plan.review_reminded_on = None
    plan.save(update_fields=["next_review_on", "review_reminded_on"])
    record(by, "plan.publish", version)
    return version


def published_version(
    institution: Institution | None = None, *, group: Group | None = None
) -> PlanVersion | None:
    """The version on the public page (L-13-3): the published plan of an institution, or of
    a regional cooperation group (the county's plan, §13a). One rule for both pages."""
    if group is not None:
        owner = {"plan__group": group, "plan__kind": WelfarePlan.Kind.REGIONAL}
    else:
        owner = {"plan__institutions": institution}
    return (
        PlanVersion.objects.filter(status=PlanVersion.Status.PUBLISHED, **owner)
        .select_related("plan", "plan__group")
        .order_by("-published_at")
        .first()
    )


def diff_table(old: PlanVersion, new: PlanVersion) -> list[tuple[str, SafeString]]:
    """A readable difference per section (difflib's HTML table), only for sections that changed."""
    old_sections = {s.key: s for s in old.sections.all()}
    out = []
    differ = difflib.HtmlDiff()  # the page wraps long lines itself (CSS)
    for section in new.sections.all():
        before = old_sections.pop(section.key, None)
        before_text = before.body if before else ""
        if before_text == section.body:
            continue
        table = differ.make_table(
            escape_lines(before_text),
            escape_lines(section.body),
            f"v{old.number}",
            f"v{new.number}",
            context=True,
            numlines=2,
        )
        out.append((section.title, mark_safe(table)))  # noqa: S308  (difflib escapes the text)
    for removed in old_sections.values():
        out.append((removed.title, mark_safe(escape(_("The section was removed.")))))  # noqa: S308
    return out


def escape_lines(text: str) -> list[str]:
    # difflib.HtmlDiff escapes &, < and > itself; the lines are given as they are.
    return text.splitlines()


def plans_due_for_review(today: date, *, within_days: int = 60):
    soon = today + relativedelta(days=within_days)
    return WelfarePlan.objects.filter(
        next_review_on__isnull=False, next_review_on__lte=soon
    ).filter(review_reminded_on__isnull=True)


def review_recipients(plan: WelfarePlan, *, today: date) -> list[str]:
    """Who is reminded of the plan's review (L-13-2), as e-mail addresses: for a regional
    plan the regional group's chair and secretary (the county's group prepares it, §14a;
    the provider that keeps its record does not); for a provider's plan the provider
    admins and the principals (provider-wide and of the plan's institutions)."""
    from opiskeluhuolto.organisation.models import Role, RoleAssignment

    if plan.is_regional:
        group = plan.group
        people = set(
            Membership.objects.filter(
                group=group,
                role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY],
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
        if group is not None and group.chair is not None and group.chair.is_active:
            people.add(group.chair.email)
        return sorted(e for e in people if e)
    people = set(
        RoleAssignment.objects.valid_on(today)
        .filter(provider_id=plan.provider_id, role__in=[Role.PROVIDER_ADMIN, Role.PRINCIPAL])
        .filter(institution__isnull=True)
        .values_list("user__email", flat=True)
    ) | set(
        RoleAssignment.objects.valid_on(today)
        .filter(role=Role.PRINCIPAL, institution__in=plan.institutions.all())
        .values_list("user__email", flat=True)
    )
    return sorted(e for e in people if e)


@transaction.atomic
def remind_review(plan: WelfarePlan, *, today: date) -> int:
    """E-mail `review_recipients` that the plan is due for review (L-13-2)."""
    recipients = review_recipients(plan, today=today)
    with translation.override("fi"):
        if plan.is_regional:
            # The county's plan (§13a) is revised by its regional group with the providers.
            subject = _("The regional welfare plan is due for review: %(title)s")
        else:
            subject = _("The welfare plan is due for review: %(title)s")
        subject %= {"title": plan.title}
        body = render_to_string("meetings/email/plan_review.txt", {"plan": plan, "today": today})
    if recipients:
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [r]) for r in recipients])
    plan.review_reminded_on = today
    plan.save(update_fields=["review_reminded_on"])
    record(None, "plan.review.remind", plan)
    return len(recipients)


def school_year_name(today: date) -> str:
    y = today.year if today.month >= 8 else today.year - 1
    return f"{y}–{y + 1}"


@transaction.atomic
def announce_services(
    institution: Institution, *, by, today: date, base_url: str
) -> ServiceAnnouncement:
    """The yearly announcement of welfare services to students and guardians (§11, L-11-1).

    Once per school year per institution; students and guardians of minors with an
    e-mail address get it in Finnish with the address of the public page.
    """
    year = school_year_name(today)
    if ServiceAnnouncement.objects.filter(institution=institution, school_year=year).exists():
        raise ValidationError(
            _("The services were already announced for the school year %(year)s.") % {"year": year}
        )
    students = Student.objects.active().filter(institution=institution)
    emails = set(students.exclude(email="").values_list("email", flat=True))
    emails |= set(
        User.objects.filter(guardianships__student__in=students.minors(today), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    version = published_version(institution)
    url = base_url.rstrip("/") + reverse("meetings:plan_public", args=[institution.pk])
    with translation.override("fi"):
        subject = _("Student welfare services at %(name)s") % {"name": institution.name}
        body = render_to_string(
            "meetings/email/announcement.txt",
            {"institution": institution, "url": url, "version": version, "year": year},
        )
    announcement = ServiceAnnouncement.objects.create(
        institution=institution, school_year=year, sent_by=by, recipients=len(emails)
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in sorted(emails)]
    transaction.on_commit(lambda: send_mass_mail(messages))
    record(by, "plan.announce", announcement)
    return announcement
