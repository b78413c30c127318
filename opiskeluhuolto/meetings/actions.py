"""State changes of groups, meetings and minutes: one transaction each, with its audit event."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto import audit
from opiskeluhuolto.organisation.models import Campus, Institution, Provider

from . import agenda, minutes_check
from .models import (
    AgendaItem,
    FollowUp,
    Group,
    Highlight,
    Meeting,
    Membership,
    Proposal,
    StandingItem,
)
from .models.audit import record


@transaction.atomic
def create_group(
    *,
    by,
    provider: Provider,
    kind: str,
    name: str,
    institution: Institution | None = None,
    campus: Campus | None = None,
    chair=None,
    description: str = "",
    parent: Group | None = None,
) -> Group:
    """LAW.md L-14-1: the institution welfare group needs an institution, and its chair is the
    provider's named representative (a person with a role at the provider)."""
    group = Group(
        provider=provider,
        kind=kind,
        name=name,
        institution=institution,
        campus=campus,
        chair=chair,
        description=description,
    )
    if kind == Group.Kind.REGIONAL:
        # Owned by the wellbeing county of the provider that keeps its record.
        group.county_id = provider.wellbeing_county_id
        if group.county_id is None:
            raise ValidationError({"kind": _("The provider is in no wellbeing county.")})
    if institution and institution.provider_id != provider.pk:
        raise ValidationError({"institution": _("The institution belongs to another provider.")})
    if campus and campus.institution_id != getattr(institution, "pk", None):
        raise ValidationError({"campus": _("The campus belongs to another institution.")})
    if chair is not None and not chair.role_assignments.filter(provider=provider).exists():
        raise ValidationError(
            {
                "chair": _(
                    "The chair must be a person the provider has named (a role at the provider)."
                )
            }
        )
    group.full_clean()
    group.save()
    if kind == Group.Kind.REGIONAL:
        group.member_providers.add(provider)
    if parent is not None:
        from .hierarchy import set_parent

        set_parent(group, parent, by=by)
    if chair is not None:
        chair_member = Membership.objects.create(
            group=group, user=chair, role=Membership.Role.CHAIR
        )
        _audit_member(audit.Kind.WELFARE_GROUP_MEMBER_ADDED, chair_member, by=by)
    record(by, "group.create", group)
    return group


@transaction.atomic
def add_member(group: Group, *, by, user, role: str, represents: str = "") -> Membership:
    if Membership.objects.filter(group=group, user=user).exists():
        raise ValidationError(
            _("%(name)s is already a member of this group.") % {"name": user.display_name}
        )
    from .hierarchy import member_provider_problem

    problem = member_provider_problem(group, user)
    if problem:
        raise ValidationError(problem)
    member = Membership(group=group, user=user, role=role, represents=represents)
    member.full_clean(validate_unique=False)
    member.save()
    record(by, "group.member.add", member)
    _audit_member(audit.Kind.WELFARE_GROUP_MEMBER_ADDED, member, by=by)
    return member


@transaction.atomic
def remove_member(member: Membership, *, by) -> None:
    if member.user_id == member.group.chair_id:
        raise ValidationError(_("The chair of the group cannot be removed."))
    record(by, "group.member.remove", member)
    _audit_member(audit.Kind.WELFARE_GROUP_MEMBER_REMOVED, member, by=by)
    member.delete()


def _audit_member(kind: str, member: Membership, *, by) -> None:
    """Welfare-group membership decides who reads the group's minutes (decision 10)."""
    state = audit.state(member, "group", "user", "role")
    added = kind == audit.Kind.WELFARE_GROUP_MEMBER_ADDED
    audit.record(
        kind,
        member,
        by=by,
        provider_id=member.group.provider_id,
        before=None if added else state,
        after=state if added else None,
    )


@transaction.atomic
def add_standing_item(group: Group, *, by, title: str, kind: str) -> StandingItem:
    title = " ".join(title.split())
    if StandingItem.objects.filter(group=group, title__iexact=title).exists():
        raise ValidationError(
            {"title": _("The group already has the item “%(title)s”.") % {"title": title}}
        )
    order = (StandingItem.objects.filter(group=group).aggregate(m=Max("order"))["m"] or 0) + 1
    item = StandingItem(group=group, title=title, kind=kind, order=order)
    item.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # a concurrent duplicate
        raise ValidationError(
            {"title": _("The group already has the item “%(title)s”.") % {"title": title}}
        ) from None
    record(by, "group.standing_item.add", item)
    return item


@transaction.atomic
def raise_item(item: StandingItem, *, by, raised: bool = True) -> StandingItem:
    """Put an “as needed” item on the next agenda (or take it off)."""
    if item.kind != StandingItem.Kind.AS_NEEDED:
        raise ValidationError(_("Only “as needed” items are raised; the others are always on."))
    item.raised = raised
    item.save(update_fields=["raised"])
    record(by, "group.as_needed.raise" if raised else "group.as_needed.lower", item)
    return item


@transaction.atomic
def submit_highlight(
    student_body: Group, *, by, to_group: Group, title: str, text: str = ""
) -> Highlight:
    if student_body.kind != Group.Kind.STUDENT_BODY:
        raise ValidationError(_("Highlights come from a student body or forum."))
    if to_group.provider_id != student_body.provider_id or to_group.pk == student_body.pk:
        raise ValidationError({"to_group": _("Choose a welfare group of the same provider.")})
    highlight = Highlight(
        group=to_group, from_group=student_body, title=title, text=text, submitted_by=by
    )
    highlight.full_clean()
    highlight.save()
    record(by, "highlight.submit", highlight)
    return highlight


def overlapping(group: Group, starts_at: datetime, ends_at: datetime, exclude: int | None = None):
    return (
        Meeting.objects.filter(group=group, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=exclude)  # type: ignore[misc]  # exclude(pk=None) leaves every row in
        .first()
    )


@transaction.atomic
def schedule_meeting(
    group: Group, *, by, starts_at: datetime, ends_at: datetime, place: str = ""
) -> Meeting:
    """Plan a meeting and assemble its agenda. Overlapping meetings of a group are refused."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    # Lock the group row so two concurrent schedules cannot both pass the overlap check.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    clash = overlapping(group, starts_at, ends_at)
    if clash:
        local = timezone.localtime(clash.starts_at)
        raise ValidationError(
            _("The group already meets at that time (%(when)s).")
            % {"when": f"{local:%-d.%-m.%Y %H.%M}"}
        )
    meeting = Meeting(group=group, starts_at=starts_at, ends_at=ends_at, place=place)
    meeting.full_clean()
    meeting.save()
    record(by, "meeting.schedule", meeting)
    assemble_agenda(meeting, by=by)
    return meeting


@transaction.atomic
def assemble_agenda(meeting: Meeting, *, by) -> list[AgendaItem]:
    """Add what the agenda should hold and is missing; items already there (and their minutes) stay."""
    if meeting.is_published:
        raise ValidationError(_("The minutes are published; the agenda can no longer change."))
    present = set(
        AgendaItem.objects.filter(meeting=meeting, source_id__isnull=False).values_list(
            "source", "source_id"
        )
    )
    order = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0
    added = []
    for p in agenda.assemble(meeting):
        if (p.source, p.source_id) in present:
            continue
        order += 1
        added.append(
            AgendaItem(
                meeting=meeting,
                order=order,
                source=p.source,
                source_id=p.source_id,
                title=p.title[:300],
                detail=p.detail[:300],
            )
        )
    AgendaItem.objects.bulk_create(added)
    record(by, "meeting.agenda.assemble", meeting)
    return added


@transaction.atomic
def add_agenda_item(meeting: Meeting, *, by, title: str) -> AgendaItem:
    if meeting.is_published:
        raise ValidationError(_("The minutes are published; the agenda can no longer change."))
    order = (AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, order=order, source=AgendaItem.Source.OTHER, title=title
    )
    record(by, "meeting.agenda.add", item)
    return item


def institution_ids_for(group: Group) -> list[int]:
    """Whose students the L-14-2 name check looks for: the group's institution, or the provider's."""
    if group.institution_id:
        return [group.institution_id]
    return list(
        Institution.objects.filter(provider_id=group.provider_id).values_list("pk", flat=True)
    )


class IdentifiesStudent(ValidationError):
    """The text seems to identify a student; carries the findings for the confirmation step."""

    def __init__(self, findings: list[minutes_check.Finding]):
        super().__init__(
            _(
                "The minutes seem to identify a student. Communal minutes must not; "
                "individual matters belong to a case. Correct the text or confirm."
            ),
            code="identifies_student",
        )
        self.findings = findings


@transaction.atomic
def save_minutes(
    item: AgendaItem,
    *,
    by,
    minutes: str,
    decision: str,
    version: int,
    confirmed: bool = False,
) -> AgendaItem:
    """Write the minutes of one item. LAW.md L-14-2: warn before saving text that names a
    student or holds an identity code; the writer corrects it or confirms."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.is_published:
        raise ValidationError(_("The minutes are published and can no longer be changed."))
    if meeting.version != version:
        raise ValidationError(
            _("Someone else saved these minutes meanwhile. Reload the page; your text is below.")
        )
    if not confirmed:
        findings = minutes_check.find_identifiers(
            f"{minutes}\n{decision}", institution_ids_for(meeting.group)
        )
        if findings:
            raise IdentifiesStudent(findings)
    item.minutes, item.decision = minutes, decision
    item.save(update_fields=["minutes", "decision"])
    meeting.version += 1
    meeting.save(update_fields=["version"])
    record(by, "meeting.minutes.confirmed_warning" if confirmed else "meeting.minutes.save", item)
    return item


@transaction.atomic
def save_attendees(meeting: Meeting, *, by, attendees: str) -> Meeting:
    """Who was present. Student representatives are members, so names here are expected."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        raise ValidationError(_("The minutes are published and can no longer be changed."))
    meeting.attendees = attendees
    meeting.save(update_fields=["attendees"])
    record(by, "meeting.attendees", meeting)
    return meeting


@transaction.atomic
def add_follow_up(item: AgendaItem, *, by, title: str, owner, due_on: date) -> FollowUp:
    if item.meeting.is_published:
        raise ValidationError(_("The minutes are published and can no longer be changed."))
    follow_up = FollowUp(
        item=item, group_id=item.meeting.group_id, title=title, owner=owner, due_on=due_on
    )
    follow_up.full_clean()
    follow_up.save()
    record(by, "follow_up.add", follow_up)
    return follow_up


@transaction.atomic
def complete_follow_up(follow_up: FollowUp, *, by, note: str = "") -> FollowUp:
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.done_note = note[:300]
        follow_up.save(update_fields=["done_at", "done_note"])
        record(by, "follow_up.done", follow_up)
    return follow_up


@transaction.atomic
def publish_minutes(meeting: Meeting, *, by) -> Meeting:
    """Publish: freeze the minutes, make the PDF, mark highlights handled, lower raised
    items, and e-mail the members after the commit."""
    from . import pdf, tasks

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        raise ValidationError(_("The minutes are already published."))
    items = list(meeting.items.all())
    if not items:
        raise ValidationError(_("The agenda is empty; there are no minutes to publish."))
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.published_by = by
    meeting.minutes_pdf = pdf.minutes_pdf(meeting)
    meeting.save()
    ids = [i.source_id for i in items if i.source == AgendaItem.Source.HIGHLIGHT and i.source_id]
    Highlight.objects.filter(pk__in=ids, handled_in__isnull=True).update(handled_in=meeting)
    ids = [i.source_id for i in items if i.source == AgendaItem.Source.PROPOSAL and i.source_id]
    Proposal.objects.filter(pk__in=ids, handled_in__isnull=True).update(handled_in=meeting)
    ids = [i.source_id for i in items if i.source == AgendaItem.Source.AS_NEEDED and i.source_id]
    StandingItem.objects.filter(pk__in=ids).update(raised=False)
    record(by, "meeting.publish", meeting)
    transaction.on_commit(lambda: tasks.send_minutes.enqueue(meeting.pk))
    return meeting
