"""Access rules for announcements and events (issue 18).

Writers: provider admins, principals, study counsellors and welfare professionals whose
role covers the unit; members of the welfare group for a group's own announcements.
Readers: the recipients (a delivery row), the writers of the unit, and anyone for the
public archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access import audiences
from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Campus, Role

WRITER_ROLES = WELFARE_PROFESSIONAL_ROLES | {
    Role.PROVIDER_ADMIN,
    Role.PRINCIPAL,
    Role.STUDY_COUNSELLOR,
    # Communal work is the community coordinator's job (issue 20).
    Role.COMMUNITY_COORDINATOR,
}

#: The members of a welfare group who write and organise in its name (not the
#: student, guardian or external representatives, nor invited experts).
ORGANISER_GROUP_ROLES = frozenset({"chair", "secretary", "member"})


@dataclass(frozen=True)
class Addressable:
    """The units of one provider a writer may address, from their writer roles: the whole
    provider, whole institutions, or single campuses (a role of a campus)."""

    provider_wide: bool = False
    institutions: frozenset[int] = frozenset()
    campuses: frozenset[tuple[int, int]] = frozenset()  # (institution, campus)

    def allows(self, institution_id: int | None, campus_ids: Iterable[int]) -> bool:
        """THE audience rule of a writer: the provider (no institution) only with a
        provider-wide role; an institution with a role of it; its every campus (none
        chosen) likewise; chosen campuses with a role of the institution or of each one."""
        if self.provider_wide:
            return True
        if institution_id is None:
            return False
        if institution_id in self.institutions:
            return True
        chosen = set(campus_ids)
        mine = {c for i, c in self.campuses if i == institution_id}
        return bool(chosen) and chosen <= mine

    def campuses_q(self, prefix: str = "") -> Q:
        """The campuses this allows, as a filter over campuses (`prefix` to reach them)."""
        if self.provider_wide:
            return Q()
        q = Q(**{f"{prefix}institution_id__in": list(self.institutions)})
        return q | Q(**{f"{prefix}pk__in": [c for _i, c in self.campuses]})

    def institution_ids(self) -> frozenset[int] | None:
        """The institutions one may address at all (None: every one of the provider)."""
        if self.provider_wide:
            return None
        return self.institutions | {i for i, _c in self.campuses}


class CommunicationRules(RulePrimitives):
    # --- the communal calendar of students and guardians -------------------------------
    def calendar_scopes(self) -> list[audiences.Place]:
        """The person's own studies and their guardianships of minors, each a place."""
        return audiences.student_places(self)

    def see_community_calendar(self) -> bool:
        return self.own_student is not None or bool(self.guarded_student_ids)

    def organiser_group_ids(self) -> list[int]:
        return [g for g, role in self.group_roles.items() if role in ORGANISER_GROUP_ROLES]

    def _writes_at(self, provider_id: int, institution_id: int | None) -> bool:
        return any(
            g.provider_id == provider_id
            and g.role in WRITER_ROLES
            and (g.institution_id is None or g.institution_id == institution_id)
            for g in self.grants
        )

    def write_announcements(self) -> bool:
        return any(g.role in WRITER_ROLES for g in self.grants)

    def addressable(self, provider_id: int) -> Addressable:
        """The units of the provider this writer may address (`Addressable.allows`)."""
        wide, institutions, campuses = False, set(), set()
        for g in self.grants:
            if g.role not in WRITER_ROLES or g.provider_id != provider_id:
                continue
            if g.institution_id is None:
                wide = True
            elif g.campus_id is None:
                institutions.add(g.institution_id)
            else:
                campuses.add((g.institution_id, g.campus_id))
        return Addressable(wide, frozenset(institutions), frozenset(campuses))

    def may_address(
        self, provider_id: int, institution_id: int | None, campus_ids: Iterable[int] = ()
    ) -> bool:
        """May this writer address the unit (the form's choices and `save_draft`)."""
        return self.addressable(provider_id).allows(institution_id, campus_ids)

    def write_to_campus(self, campus) -> bool:
        """A writer addresses a campus their role covers (a role of the provider, the
        institution or that campus)."""
        return self.may_address(campus.institution.provider_id, campus.institution_id, [campus.pk])

    def manage_announcement(self, a) -> bool:
        """The group's organisers, and the writers whose role covers the institution (a
        role posted to a campus too: staff of an institution serve all its campuses).
        Every audience `Addressable` allows is within this, so a writer manages every
        draft they could write."""
        if a.welfare_group_id and a.welfare_group_id in self.organiser_group_ids():
            return True
        return self._writes_at(a.provider_id, a.institution_id)

    def read_announcement(self, a) -> bool:
        """A sent one: its recipients, the public, and everyone in its audience now (who
        joined the audience after the send too: the archive of their audience)."""
        if a.status in ("sending", "sent") and (
            a.is_public
            or a.deliveries.filter(user_id=self.user.pk).exists()
            or self.in_audience_of_announcement(a)
        ):
            return True
        return self.manage_announcement(a)

    def in_audience_of_announcement(self, a) -> bool:
        return audiences.includes(audiences.of_announcement(a), audiences.reach_of(self))

    # --- events ---------------------------------------------------------------------
    def manage_event(self, event) -> bool:
        if event.organiser_id in self.organiser_group_ids():
            return True
        return self._writes_at(event.provider_id, event.institution_id)

    def view_event(self, event) -> bool:
        """Its managers, every member of its organiser group (whatever their role in the
        group: an external partner or an invited expert too), and its audience (those
        its invitation reaches: the same rule, `access.audiences`)."""
        if self.manage_event(event) or event.organiser_id in self.group_roles:
            return True
        return audiences.includes(audiences.of_event(event), audiences.reach_of(self))

    # --- campaigns (a theme week of several events) --------------------------------------
    def manage_campaign(self, campaign) -> bool:
        """As an event: the organiser group's organisers and the unit's writers."""
        return self.manage_event(campaign)

    def view_campaign(self, campaign) -> bool:
        """As an event: its managers, its organiser group's members, and its audience."""
        if self.manage_campaign(campaign) or campaign.organiser_id in self.group_roles:
            return True
        return audiences.includes(audiences.of_campaign(campaign), audiences.reach_of(self))

    def invite_to_event(self, event) -> bool:
        """Write the event's invitation: manage the event and may address its audience
        (the invitation is an announcement; `Addressable`, the writer's rule)."""
        campus_ids = [c.pk for c in event.campuses.all()]
        return self.manage_event(event) and self.may_address(
            event.provider_id, event.institution_id, campus_ids
        )


def clock_item_for(place: audiences.Place, item) -> bool:
    """A clock item (already layered for the place's campus) is in this place's calendar."""
    audience = audiences.of_clock_item(item)
    return audience is not None and audiences.place_in(audience, place)


def community_events(places: list[audiences.Place]) -> QuerySet:
    """The events meant for these places (their audience, institution and campus)."""
    from opiskeluhuolto.events.models import Event

    q = audiences.items_q(audiences.Reach(tuple(places)), audiences.EVENT_FIELDS)
    return Event.objects.filter(pk__in=Event.objects.filter(q).values("pk"))


def get_calendar_feed(user, pk):
    """One's own calendar subscription address (nobody else's)."""
    from opiskeluhuolto.events.models import CalendarFeed

    feed = _get(CalendarFeed.objects.all(), pk)
    if feed.user_id != getattr(user, "pk", None):
        raise Http404
    return feed


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_announcement(user, pk, *, need: str = "read"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.announcements.models import Announcement

    a = _get(Announcement.objects.select_related("institution", "campus", "provider"), pk)
    can = for_user(user)
    allowed = {"read": can.read_announcement, "manage": can.manage_announcement}[need](a)
    if not allowed:
        raise Http404
    return a


def announcements_managed_by(user) -> QuerySet:
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.announcements.models import Announcement

    can = for_user(user)
    q = Q(welfare_group_id__in=can.organiser_group_ids())
    for g in can.grants:
        if g.role not in WRITER_ROLES:
            continue
        if g.institution_id is None:
            q |= Q(provider_id=g.provider_id)
        else:
            q |= Q(provider_id=g.provider_id, institution_id=g.institution_id)
    return Announcement.objects.filter(q)


def announcements_archived_for(user, *, limit: int = 300) -> list:
    """The sent announcements one may read (`read_announcement`): those one received, and
    those whose audience one is in now, and the ones one manages; newest first."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.announcements.models import Announcement

    can = for_user(user)
    if not can.is_authenticated:
        return []
    reach = audiences.reach_of(can)
    providers: set[int] = {g.provider_id for g in can.grants}
    for place in reach.places:
        providers |= set(place.provider or ())
    sent = Announcement.objects.filter(status__in=["sending", "sent"])
    managed = set(
        announcements_managed_by(user)
        .filter(status__in=["sending", "sent"])
        .values_list("pk", flat=True)
    )
    received = set(sent.filter(deliveries__user_id=user.pk).values_list("pk", flat=True))
    candidates = (
        sent.filter(
            Q(pk__in=managed | received)
            | Q(provider_id__in=providers)
            | Q(welfare_group_id__in=list(reach.welfare_group_ids))
        )
        .select_related("provider", "institution", "campus", "student_group", "welfare_group")
        .prefetch_related("campuses")
        .order_by("-sent_at", "-pk")
    )
    found = []
    for a in candidates[: limit * 4]:
        if a.pk in managed or a.pk in received or can.in_audience_of_announcement(a):
            found.append(a)
            if len(found) >= limit:
                break
    return found


def campuses_written_to_by(user, provider_id: int) -> QuerySet:
    """The provider's campuses a writer may address (the list scope of `write_to_campus`;
    a test keeps the two in step)."""
    from opiskeluhuolto.access.permissions import for_user

    allowed = for_user(user).addressable(provider_id)
    return Campus.objects.filter(allowed.campuses_q(), institution__provider_id=provider_id)


def institutions_written_to_by(user, provider_id: int) -> QuerySet:
    """The provider's institutions a writer may address at all (some or all campuses)."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.organisation.models import Institution

    ids = for_user(user).addressable(provider_id).institution_ids()
    found = Institution.objects.filter(provider_id=provider_id)
    return found if ids is None else found.filter(pk__in=list(ids))


def get_event(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.events.models import Event

    event = _get(Event.objects.select_related("institution", "organiser"), pk)
    can = for_user(user)
    if not {"view": can.view_event, "manage": can.manage_event}[need](event):
        raise Http404
    return event


def events_visible_to(user) -> QuerySet:
    """The list scope of `view_event` (a test keeps the two in step)."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.events.models import Event

    return _organised_visible_to(for_user(user), Event, audiences.EVENT_FIELDS)


def get_campaign(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.events.models import Campaign

    campaign = _get(Campaign.objects.select_related("institution", "organiser"), pk)
    can = for_user(user)
    if not {"view": can.view_campaign, "manage": can.manage_campaign}[need](campaign):
        raise Http404
    return campaign


def campaigns_visible_to(user) -> QuerySet:
    """The list scope of `view_campaign` (a test keeps the two in step)."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.events.models import Campaign

    return _organised_visible_to(for_user(user), Campaign, audiences.CAMPAIGN_FIELDS)


def _organised_visible_to(can, model, fields) -> QuerySet:
    """Events and campaigns alike: every member of the organiser group, the unit's
    writers, and the audience."""
    if not can.is_authenticated:
        return model.objects.none()
    q = Q(organiser_id__in=list(can.group_roles))
    for g in can.grants:
        if g.role in WRITER_ROLES:
            q |= Q(provider_id=g.provider_id) & (
                Q() if g.institution_id is None else Q(institution_id=g.institution_id)
            )
    q |= audiences.items_q(audiences.reach_of(can), fields)
    return model.objects.filter(pk__in=model.objects.filter(q).values("pk"))
