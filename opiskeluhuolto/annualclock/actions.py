"""State changes of annual clocks: one transaction each, with its audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider

from .models import Clock, ClockItem, FeedToken, record

ITEM_FIELDS = (
    "title",
    "title_sv",
    "title_en",
    "community",
    "community_group",
    "type",
    "kind",
    "day",
    "month",
    "first_week",
    "last_week",
    "first_month",
    "last_month",
    "term",
    "every_years",
    "anchor_year",
    "owner_group",
    "audience",
    "results_due",
    "note",
    "placement_inferred",
    "is_hidden",
)


@transaction.atomic
def create_clock(
    *,
    by,
    provider: Provider,
    name: str,
    kind: str,
    institution: Institution | None = None,
    campus: Campus | None = None,
    groups=(),
) -> Clock:
    if institution and institution.provider_id != provider.pk:
        raise ValidationError({"institution": _("The unit belongs to another provider.")})
    clock = Clock(provider=provider, institution=institution, campus=campus, name=name, kind=kind)
    clock.full_clean()
    clock.save()
    if any(g.provider_id != provider.pk for g in groups):
        raise ValidationError({"groups": _("The group belongs to another provider.")})
    clock.groups.set(groups)
    record(by, "clock.create", clock)
    return clock


def _apply(item: ClockItem, fields: dict) -> None:
    for key, value in fields.items():
        if key not in ITEM_FIELDS:
            raise TypeError(f"unknown clock item field {key}")
        setattr(item, key, value)
    if item.owner_group is not None and item.owner_group.provider_id != item.clock.provider_id:
        raise ValidationError({"owner_group": _("The group belongs to another provider.")})
    group = item.community_group
    if group is not None and group.institution.provider_id != item.clock.provider_id:
        raise ValidationError({"community_group": _("The group belongs to another provider.")})
    if group is not None and not item.community:
        raise ValidationError(
            {"community": _("Choose who sees the item in the communal calendar of the group.")}
        )
    item.full_clean()


@transaction.atomic
def add_item(clock: Clock, *, by, **fields) -> ClockItem:
    item = ClockItem(clock=clock)
    _apply(item, fields)
    item.save()
    record(by, "clock.item.add", item)
    return item


@transaction.atomic
def update_item(item: ClockItem, *, by, **fields) -> ClockItem:
    _apply(item, fields)
    item.save()
    record(by, "clock.item.update", item)
    return item


@transaction.atomic
def adaptation_for(root: Clock, *, by, institution: Institution, campus: Campus | None) -> Clock:
    """The unit's adaptation of `root`, created on first use."""
    if root.parent_id:
        raise ValidationError(_("Adapt the original clock, not an adaptation."))
    if institution.provider_id != root.provider_id or (
        campus and campus.institution_id != institution.pk
    ):
        raise ValidationError(_("The unit belongs to another provider."))
    clock = Clock.objects.filter(parent=root, institution=institution, campus=campus).first()
    if clock is None:
        clock = Clock.objects.create(
            provider=root.provider,
            institution=institution,
            campus=campus,
            parent=root,
            name=f"{root.name} – {(campus or institution).name}",
            kind=root.kind,
        )
        record(by, "clock.adapt", clock)
    return clock


@transaction.atomic
def adapt_item(
    item: ClockItem, *, by, institution: Institution, campus: Campus | None = None, **fields
) -> ClockItem:
    """Change an inherited item for one unit only; the original stays as it is for others."""
    unit_clock = adaptation_for(item.clock.root, by=by, institution=institution, campus=campus)
    if item.clock_id == unit_clock.pk:
        return update_item(item, by=by, **fields)
    original = item.adapts if item.adapts_id else item
    override = ClockItem.objects.filter(clock=unit_clock, adapts=original).first()
    if override is None:
        override = ClockItem(clock=unit_clock, adapts=original)
        for name in ITEM_FIELDS:
            setattr(override, name, getattr(item, name))
    _apply(override, fields)
    override.save()
    record(by, "clock.item.adapt", override)
    return override


@transaction.atomic
def create_feed(user, clock: Clock, campus: Campus | None = None) -> FeedToken:
    token = FeedToken.objects.create(user=user, clock=clock, campus=campus)
    record(user, "clock.feed.create", token)
    return token


@transaction.atomic
def revoke_feed(token: FeedToken, *, by) -> FeedToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(by, "clock.feed.revoke", token)
    return token
