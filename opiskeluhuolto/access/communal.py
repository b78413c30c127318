"""Access rules for Communal welfare (issue 5): groups, annual clocks, meetings, the welfare plan, goals.

`CommunalRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.
"""

from __future__ import annotations


class CommunalRules:
    pass
