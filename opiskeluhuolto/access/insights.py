"""Access rules for Knowledge-based management (issue 6): imports, early warning, care-conversation tasks, dashboards.

`InsightRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.
"""

from __future__ import annotations


class InsightRules:
    pass
