"""Role sets the rules about students share (docs/access-rules.md), defined once."""

from __future__ import annotations

from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Role

#: The school's own staff: every role but the external group member (youth work,
#: municipality, county, student or guardian representative), who takes part in
#: communal welfare groups and is nobody's teacher.
SCHOOL_STAFF_ROLES = frozenset(Role) - {Role.EXTERNAL_MEMBER}

#: School staff who see a student's personal details, contact details and guardians
#: beyond name and group; the group supervisor sees them for their own group.
STUDENT_DETAIL_ROLES = WELFARE_PROFESSIONAL_ROLES | {
    Role.PRINCIPAL,
    Role.STUDY_COUNSELLOR,
    Role.SPECIAL_NEEDS_TEACHER,
}
