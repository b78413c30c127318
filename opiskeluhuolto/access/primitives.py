"""What the rule mixins (cases, appointments, communal, insights) read from `Permissions`.

The mixins' methods use `self.user`, `self.grants`, `self.roles_at(...)` and the other
primitives that `access.permissions.Permissions` defines. This base declares them for
the type checker only; at run time it is an empty class, so `Permissions` alone
defines them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opiskeluhuolto.access.permissions import Grant
    from opiskeluhuolto.organisation.models import Institution, Provider, Student


class RulePrimitives:
    if TYPE_CHECKING:
        user: Any
        today: date

        @property
        def is_authenticated(self) -> bool: ...
        @property
        def grants(self) -> tuple[Grant, ...]: ...
        @property
        def own_student(self) -> Student | None: ...
        @property
        def guarded_student_ids(self) -> frozenset[int]: ...
        @property
        def is_welfare_professional(self) -> bool: ...
        @property
        def group_roles(self) -> dict[int, str]: ...
        def roles_at(self, institution: Institution) -> frozenset[str]: ...
        def admin_provider_ids(self) -> frozenset[int]: ...
        def is_provider_admin(self, provider: Provider | int | None = None) -> bool: ...
        def reaches_student(self, student: Student, roles: frozenset[str] | set[str]) -> bool: ...
