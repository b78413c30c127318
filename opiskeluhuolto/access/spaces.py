"""Access rules for communal spaces (issue 20, docs/spaces-and-projects.md).

A space belongs to a campus of an institution. Everyone with a staff role covering the
institution (any campus of it, or provider-wide), partners too (external members), sees
and books it; the institution's students see it, its service hours shown to them and its
bookings without names. The principal of the institution and the provider admin manage
it (service hours, visitor counts, cancelling others' bookings), and so does the community
coordinator of its campus.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import Role

MANAGER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PRINCIPAL})
#: The members of a group who may book the space in the group's name.
GROUP_BOOKER_ROLES = frozenset({"chair", "secretary", "member"})


class SpaceRules(RulePrimitives):
    def _space_grants(self, space) -> list:
        inst = space.campus.institution
        return [
            g
            for g in self.grants
            if g.provider_id == inst.provider_id
            and (g.institution_id is None or g.institution_id == inst.pk)
        ]

    def book_space(self, space) -> bool:
        return bool(self._space_grants(space))

    def view_space(self, space) -> bool:
        if self.book_space(space):
            return True
        s = self.own_student
        return s is not None and s.institution_id == space.campus.institution_id

    def manage_space(self, space) -> bool:
        """The principal and the provider admin covering the institution; the community
        coordinator for the spaces of their own campus (or all, when not posted to one)."""
        return any(
            g.role in MANAGER_ROLES
            or (
                g.role == Role.COMMUNITY_COORDINATOR
                and (g.campus_id is None or g.campus_id == space.campus_id)
            )
            for g in self._space_grants(space)
        )

    def space_booking_kind(self, space) -> str:
        """Whom a booking of one's own counts for: a partner when every role one holds
        there is an external member's, otherwise staff."""
        roles = {g.role for g in self._space_grants(space)}
        return "partner" if roles and roles <= {Role.EXTERNAL_MEMBER} else "staff"

    def cancel_space_booking(self, booking) -> bool:
        if booking.booked_by_id is not None and booking.booked_by_id == getattr(
            self.user, "pk", None
        ):
            return self.book_space(booking.space)
        return self.manage_space(booking.space)

    def space_group_ids(self) -> list[int]:
        return sorted(g for g, role in self.group_roles.items() if role in GROUP_BOOKER_ROLES)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_space(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.spaces.models import Space

    space = _get(Space.objects.select_related("campus__institution"), pk)
    can = for_user(user)
    check = {"view": can.view_space, "book": can.book_space, "manage": can.manage_space}[need]
    if not check(space):
        raise Http404
    return space


def get_space_booking(user, pk):
    """A booking its booker or the space's managers may cancel."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.spaces.models import Booking

    booking = _get(Booking.objects.select_related("space__campus__institution"), pk)
    if not for_user(user).cancel_space_booking(booking):
        raise Http404
    return booking


def spaces_visible_to(user) -> QuerySet:
    """The list scope of `view_space` (a test keeps the two in step)."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.spaces.models import Space

    can = for_user(user)
    q = Q(pk__in=[])
    for g in can.grants:
        if g.institution_id is None:
            q |= Q(campus__institution__provider_id=g.provider_id)
        else:
            q |= Q(campus__institution_id=g.institution_id)
    if can.own_student is not None:
        q |= Q(campus__institution_id=can.own_student.institution_id)
    return Space.objects.filter(q)


def groups_for_booking(user, space) -> QuerySet:
    """The groups one may book the space for: those one is a working member of, of the
    space's provider."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Group

    can = for_user(user)
    return Group.objects.filter(
        pk__in=can.space_group_ids(), provider_id=space.campus.institution.provider_id
    ).order_by("name")
