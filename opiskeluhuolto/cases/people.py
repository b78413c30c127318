"""Who can be named in an expert-group consent, found by name, role and campus.

The people are those with a current role at the student's institution (and the group
supervisor of the student's group): a membership gives access only through such a role
(LAW.md L-906-4). The list puts first the people the kuraattori looks for first: the
student's group supervisor, then the people of the student's own campus, then the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation.models import Role, RoleAssignment, Student


@dataclass
class Person:
    user: User
    roles: list[str] = field(default_factory=list)
    campuses: list[str] = field(default_factory=list)
    is_group_supervisor: bool = False
    on_own_campus: bool = False

    @property
    def label(self) -> str:
        label = self.user.display_name
        what = self.user.title or ", ".join(self.roles)
        if what:
            label += f", {what}"
        if self.campuses:
            label += f" ({', '.join(self.campuses)})"
        return label

    @property
    def rank(self) -> tuple:
        return (
            not self.is_group_supervisor,
            not self.on_own_campus,
            self.user.last_name.lower(),
            self.user.first_name.lower(),
        )


def people_for(student: Student, *, welfare_only: bool = False) -> list[Person]:
    """Everyone who can be named, in the order the kuraattori needs them."""
    today = timezone.localdate()
    rows = (
        RoleAssignment.objects.valid_on(today)
        .at_institution(student.institution)
        .select_related("user", "campus")
    )
    if welfare_only:
        rows = rows.welfare_staff()
    labels = dict(Role.choices)
    people: dict[int, Person] = {}
    for ra in rows:
        p = people.setdefault(ra.user_id, Person(ra.user))
        role = str(labels.get(ra.role, ra.role))
        if role not in p.roles:
            p.roles.append(role)
        if ra.campus is not None and ra.campus.name not in p.campuses:
            p.campuses.append(ra.campus.name)
        if student.campus_id and ra.campus_id == student.campus_id:
            p.on_own_campus = True
    group = student.group
    if not welfare_only and group is not None and group.supervisor_id:
        supervisor = group.supervisor
        assert supervisor is not None
        p = people.setdefault(group.supervisor_id, Person(supervisor))
        p.is_group_supervisor = True
        if str(labels[Role.GROUP_SUPERVISOR]) not in p.roles:
            p.roles.append(str(labels[Role.GROUP_SUPERVISOR]))
    return sorted(people.values(), key=lambda p: p.rank)


def search(people: list[Person], *, q: str = "", role: str = "", campus: str = "") -> list[Person]:
    """Narrow by words of the name (or title), a role and a campus name."""
    labels = dict(Role.choices)
    role_label = str(labels[role]) if role in labels else ""
    out = []
    for p in people:
        haystack = f"{p.user.display_name} {p.user.title}".lower()
        if any(w.lower() not in haystack for w in q.split()):
            continue
        if role_label and role_label not in p.roles:
            continue
        if campus and campus not in p.campuses:
            continue
        out.append(p)
    return out
