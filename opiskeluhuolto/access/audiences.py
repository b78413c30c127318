"""Audiences: one rule for "who is in this audience" and "which items may this person see".

An audience is a kind (students, guardians of minors, staff, a welfare group, or everyone:
students, guardians and staff) and a unit: a provider, optionally narrowed to an
institution, campuses, a group and a starting year. Announcements, events and the
communal calendar's clock items all describe their audience as an `Audience`
(`of_announcement`, `of_event`, `of_clock_item`).

A person belongs to communities in `Place`s: as a student, as the guardian of a minor
student, as staff (one per role assignment, external group members excluded), and as a
member of welfare groups. The rule that matches a place to an audience is written once,
as the table `DIMENSIONS` and the function `_matches`; the three ways of asking it are
generated from that table:

- `members(audience, today)`: the user accounts in the audience (sending);
- `includes(audience, reach)`: is this person in the audience (one item);
- `items_q(reach, fields)`: a filter over a model's rows whose audience includes the
  person (lists, feeds).

The starting year of a student is read from the group's name (`starting_years`): the
roster has no start date of the study right, and every seed school names its groups by
the two-digit starting year ("24A", "TVT24").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from opiskeluhuolto.organisation.models import (
    Guardianship,
    Role,
    RoleAssignment,
    Student,
    StudentGroup,
)

STUDENTS = "students"
GUARDIANS = "guardians"
STAFF = "staff"
WELFARE_GROUP = "welfare_group"
EVERYONE = "everyone"

#: The kinds of audience a place of each role belongs to.
KINDS = {
    STUDENTS: frozenset({STUDENTS, EVERYONE}),
    GUARDIANS: frozenset({GUARDIANS, EVERYONE}),
    STAFF: frozenset({STAFF, EVERYONE}),
}

#: No restriction: an audience or a place that covers every value of a dimension.
ANY = None


_LEADING_YEAR = re.compile(r"\d{2}")
_TRAILING_YEAR = re.compile(r"\d{2}$")


def starting_years(group_name: str | None) -> frozenset[int]:
    """The starting years a group's name carries: leading or trailing two digits."""
    if not group_name:
        return frozenset()
    name = group_name.strip()
    found = set()
    for m in (_LEADING_YEAR.match(name), _TRAILING_YEAR.search(name)):
        if m:
            found.add(2000 + int(m.group(0)))
    return frozenset(found)


@dataclass(frozen=True)
class Audience:
    kind: str
    provider_id: int | None = None  # None: already narrowed by the caller (a layered clock)
    institution_id: int | None = None
    campus_ids: frozenset[int] = frozenset()  # empty: every campus
    group_id: int | None = None
    starting_year: int | None = None
    welfare_group_id: int | None = None

    def values(self, dim: str) -> frozenset | None:
        """The audience's allowed values of a dimension, ANY when unrestricted."""
        v = {
            "provider": self.provider_id,
            "institution": self.institution_id,
            "campus": self.campus_ids or None,
            "group": self.group_id,
            "starting_year": self.starting_year,
        }[dim]
        if v is None:
            return ANY
        return frozenset(v) if isinstance(v, frozenset) else frozenset({v})


@dataclass(frozen=True)
class Place:
    """Where a person belongs: `role` is students, guardians or staff. Each value is a set,
    or ANY for staff whose role covers the whole provider or institution."""

    role: str
    provider: frozenset[int] | None
    institution: frozenset[int] | None
    campus: frozenset[int] | None
    group: frozenset[int] | None
    starting_year: frozenset[int] | None
    student: Student | None = None  # the student of a student's or guardian's place

    def values(self, dim: str) -> frozenset | None:
        return getattr(self, dim)


@dataclass(frozen=True)
class Reach:
    """Every place of one person, and their welfare groups."""

    places: tuple[Place, ...] = ()
    welfare_group_ids: frozenset[int] = field(default_factory=frozenset)


#: The dimensions of a unit: name → (the Student field for `members`, the RoleAssignment
#: field, or None when staff are not narrowed by it). Staff are narrowed by provider and
#: institution only: the staff of an institution serve all its campuses (a campus
#: audience reaches its students and guardians, and the institution's staff).
DIMENSIONS: dict[str, tuple[str, str | None]] = {
    "provider": ("institution__provider_id", "provider_id"),
    "institution": ("institution_id", "institution_id"),
    "campus": ("campus_id", None),
    "group": ("group_id", None),
    "starting_year": ("group_id", None),  # through `_groups_starting_in`
}


def _matches(allowed: frozenset | None, have: frozenset | None) -> bool:
    """THE rule of one dimension: the audience allows any value, the place covers any
    value (staff of the whole unit), or they share a value."""
    return allowed is ANY or have is ANY or bool(allowed & have)


def _applies(role: str, dim: str) -> bool:
    return role != STAFF or DIMENSIONS[dim][1] is not None


# --- the person's side --------------------------------------------------------------------
def student_place(student: Student, *, as_guardian: bool) -> Place:
    group_name = student.group.name if student.group is not None else None
    return Place(
        role=GUARDIANS if as_guardian else STUDENTS,
        provider=frozenset({student.institution.provider_id}),
        institution=frozenset({student.institution_id}),
        campus=frozenset({student.campus_id}) if student.campus_id else frozenset(),
        group=frozenset({student.group_id}) if student.group_id else frozenset(),
        starting_year=starting_years(group_name),
        student=student,
    )


def staff_place(grant) -> Place:
    """A role assignment as a place; external group members are not staff."""

    def one(v):
        return ANY if v is None else frozenset({v})

    return Place(
        role=STAFF,
        provider=frozenset({grant.provider_id}),
        institution=one(grant.institution_id),
        campus=one(grant.campus_id),
        group=ANY,
        starting_year=ANY,
    )


def student_places(can) -> list[Place]:
    """The person's own studies and their guardianships of minors."""
    places = []
    if can.own_student is not None:
        places.append(student_place(can.own_student, as_guardian=False))
    guarded = (
        Student.objects.filter(pk__in=can.guarded_student_ids)
        .select_related("institution", "campus", "group")
        .order_by("pk")
    )
    places += [student_place(s, as_guardian=True) for s in guarded]
    return places


def reach_of(can) -> Reach:
    """Everything `can` (a `Permissions`) belongs to."""
    if not can.is_authenticated:
        return Reach()
    places = student_places(can)
    places += [staff_place(g) for g in can.grants if g.role != Role.EXTERNAL_MEMBER]
    return Reach(tuple(places), frozenset(can.group_roles))


# --- one item ---------------------------------------------------------------------------
def place_in(audience: Audience, place: Place) -> bool:
    if audience.kind not in KINDS[place.role]:
        return False
    return all(
        _matches(audience.values(dim), place.values(dim))
        for dim in DIMENSIONS
        if _applies(place.role, dim)
    )


def includes(audience: Audience, reach: Reach) -> bool:
    if audience.kind == WELFARE_GROUP:
        return audience.welfare_group_id in reach.welfare_group_ids
    return any(place_in(audience, p) for p in reach.places)


# --- lists of items -----------------------------------------------------------------------
@dataclass(frozen=True)
class Fields:
    """Where a model keeps its audience: field names, None when it has no such field (the
    audience is then unrestricted in that dimension)."""

    kind: str
    provider: str | None = None
    institution: str | None = None
    campus: str | None = None  # a foreign key or a many-to-many; empty means every campus
    group: str | None = None
    starting_year: str | None = None
    welfare_group: str | None = None

    def kinds(self, wanted: Iterable[str]) -> list[str]:
        return list(wanted)


def _dim_q(name: str | None, have: frozenset | None) -> Q:
    if name is None or have is ANY:
        return Q()
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__in": list(have)})


def items_q(reach: Reach, fields: Fields) -> Q:
    """Rows whose audience includes one of the person's places (the `place_in` rule)."""
    q = Q(pk__in=[])
    for place in reach.places:
        one = Q(**{f"{fields.kind}__in": fields.kinds(KINDS[place.role])})
        for dim in DIMENSIONS:
            if _applies(place.role, dim):
                one &= _dim_q(getattr(fields, dim), place.values(dim))
        q |= one
    if fields.welfare_group and reach.welfare_group_ids:
        q |= Q(**{f"{fields.kind}__in": fields.kinds([WELFARE_GROUP])}) & Q(
            **{f"{fields.welfare_group}__in": list(reach.welfare_group_ids)}
        )
    return q


# --- the members of one audience ----------------------------------------------------------
def _groups_starting_in(audience: Audience) -> list[int]:
    groups = StudentGroup.objects.all()
    if audience.provider_id:
        groups = groups.filter(institution__provider_id=audience.provider_id)
    if audience.institution_id:
        groups = groups.filter(institution_id=audience.institution_id)
    return [
        pk
        for pk, name in groups.values_list("pk", "name")
        if audience.starting_year in starting_years(name)
    ]


def students_in(audience: Audience):
    """The active students of the audience's unit (students or the guardians' children)."""
    students = Student.objects.active()
    for dim, (student_field, _staff_field) in DIMENSIONS.items():
        allowed = audience.values(dim)
        if allowed is ANY:
            continue
        if dim == "starting_year":
            allowed = frozenset(_groups_starting_in(audience))
        students = students.filter(**{f"{student_field}__in": list(allowed)})
    return students


def staff_in(audience: Audience, today: date) -> QuerySet:
    roles = RoleAssignment.objects.valid_on(today).exclude(role=Role.EXTERNAL_MEMBER)
    for dim, (_student_field, staff_field) in DIMENSIONS.items():
        allowed = audience.values(dim)
        if staff_field is None or allowed is ANY:
            continue
        # a role of the whole provider or institution covers any of its units
        q = Q(**{f"{staff_field}__in": list(allowed)})
        if dim != "provider":
            q |= Q(**{f"{staff_field}__isnull": True})
        roles = roles.filter(q)
    return roles


def members(audience: Audience, today: date) -> QuerySet:
    """The active user accounts in the audience on `today` (guardians of minors only)."""
    User = get_user_model()
    ids = Q(pk__in=[])
    if audience.kind in (STUDENTS, EVERYONE):
        ids |= Q(pk__in=students_in(audience).filter(user__isnull=False).values("user_id"))
    if audience.kind in (GUARDIANS, EVERYONE):
        minors = students_in(audience).minors(today)
        ids |= Q(pk__in=Guardianship.objects.filter(student__in=minors).values("guardian_id"))
    if audience.kind in (STAFF, EVERYONE):
        ids |= Q(pk__in=staff_in(audience, today).values("user_id"))
    if audience.kind == WELFARE_GROUP:
        from opiskeluhuolto.meetings.models import Membership

        members_ = Membership.objects.filter(group_id=audience.welfare_group_id or 0)
        ids |= Q(pk__in=members_.values("user_id"))
    return User.objects.filter(ids, is_active=True)


# --- the audiences of the apps' items -----------------------------------------------------
def of_announcement(a) -> Audience:
    return Audience(
        kind=a.audience,
        provider_id=a.provider_id,
        institution_id=a.institution_id,
        campus_ids=frozenset(a.campus_ids()),
        group_id=a.student_group_id,
        starting_year=a.starting_year,
        welfare_group_id=a.welfare_group_id,
    )


def of_event(event) -> Audience:
    return Audience(
        kind=event.audience,
        provider_id=event.provider_id,
        institution_id=event.institution_id,
        campus_ids=frozenset(event.campus_ids()),
        group_id=event.student_group_id,
        starting_year=event.starting_year,
    )


#: Events keep their campuses in a many-to-many field (none chosen: every campus).
EVENT_FIELDS = Fields(
    kind="audience",
    provider="provider_id",
    institution="institution_id",
    campus="campuses",
    group="student_group_id",
    starting_year="starting_year",
)


def of_campaign(campaign) -> Audience:
    """A campaign's own audience (a theme week): its institution and campuses."""
    return Audience(
        kind=campaign.audience,
        provider_id=campaign.provider_id,
        institution_id=campaign.institution_id,
        campus_ids=frozenset(campaign.campus_ids()),
    )


#: Campaigns have no group or starting year (their events may narrow further).
CAMPAIGN_FIELDS = Fields(
    kind="audience", provider="provider_id", institution="institution_id", campus="campuses"
)


def of_clock_item(item) -> Audience | None:
    """A clock item in the communal calendar (already layered for the unit), or None when
    it is for the staff only."""
    if not item.community:
        return None
    return Audience(kind=item.community, group_id=item.community_group_id)
