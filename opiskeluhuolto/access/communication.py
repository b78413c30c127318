"""Access rules for announcements and events (issue 18).

Writers: provider admins, principals, study counsellors and welfare professionals whose
role covers the unit; members of the welfare group for a group's own announcements.
Readers: the recipients (a delivery row), the writers of the unit, and anyone for the
public archive.
"""

from __future__ import annotations

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

    def write_to_campus(self, campus) -> bool:
        """A writer addresses the campuses of the institutions their role covers (the
        rule of `manage_announcement`: staff of an institution serve all its campuses)."""
        return self._writes_at(campus.institution.provider_id, campus.institution_id)

    def manage_announcement(self, a) -> bool:
        if a.welfare_group_id and a.welfare_group_id in self.organiser_group_ids():
            return True
        return self._writes_at(a.provider_id, a.institution_id)

    def read_announcement(self, a) -> bool:
        if a.status in ("sending", "sent") and (
            a.deliveries.filter(user_id=self.user.pk).exists() or a.is_public
        ):
            return True
        return self.manage_announcement(a)

    # --- events ---------------------------------------------------------------------
    def manage_event(self, event) -> bool:
        if event.organiser_id in self.organiser_group_ids():
            return True
        return self._writes_at(event.provider_id, event.institution_id)

    def view_event(self, event) -> bool:
        if self.manage_event(event):
            return True
        return audiences.includes(audiences.of_event(event), audiences.reach_of(self))


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


def campuses_written_to_by(user, provider_id: int) -> QuerySet:
    """The provider's campuses a writer may address (the list scope of `write_to_campus`;
    a test keeps the two in step)."""
    from opiskeluhuolto.access.permissions import for_user

    q = Q(pk__in=[])
    for g in for_user(user).grants:
        if g.role not in WRITER_ROLES or g.provider_id != provider_id:
            continue
        if g.institution_id is None:
            q |= Q(institution__provider_id=provider_id)
        else:
            q |= Q(institution_id=g.institution_id)
    return Campus.objects.filter(q)


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

    can = for_user(user)
    if not can.is_authenticated:
        return Event.objects.none()
    q = Q(organiser_id__in=can.organiser_group_ids())
    for g in can.grants:
        if g.role in WRITER_ROLES:
            q |= Q(provider_id=g.provider_id) & (
                Q() if g.institution_id is None else Q(institution_id=g.institution_id)
            )
    q |= audiences.items_q(audiences.reach_of(can), audiences.EVENT_FIELDS)
    return Event.objects.filter(pk__in=Event.objects.filter(q).values("pk"))
