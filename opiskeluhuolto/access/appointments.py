"""Access rules for Appointments (issue 4): availability, requests, bookings, compliance reports.

`AppointmentRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.
"""

from __future__ import annotations


class AppointmentRules:
    pass
