"""Provider → institutions → campuses, school calendars, groups, students, guardians, roles.

This is the data that `access` reads to answer who may see what. A package by
responsibility: `units` (provider, institutions, campuses, school calendars), `students`
(groups, students, guardians), `roles` (roles and their assignments) and `organisations`
(the organisations around the school).

The names are re-exported here because Django finds an app's models, and the rest of
the project (and the migrations' validators and choices) imports them, as
`organisation.models`.
"""

from .organisations import (
    Organisation,
    OrganisationAgreement,
    OrganisationContact,
    OrganisationService,
)
from .roles import WELFARE_PROFESSIONAL_ROLES, Role, RoleAssignment, RoleAssignmentQuerySet
from .students import (
    Guardianship,
    Student,
    StudentGroup,
    StudentQuerySet,
    validate_hetu,
    validate_oppijanumero,
)
from .units import (
    CalendarPeriod,
    Campus,
    Institution,
    Provider,
    SchoolYear,
    WellbeingCounty,
    finnish_date,
    role_choices,
)

__all__ = [
    "WELFARE_PROFESSIONAL_ROLES",
    "CalendarPeriod",
    "Campus",
    "Guardianship",
    "Institution",
    "Organisation",
    "OrganisationAgreement",
    "OrganisationContact",
    "OrganisationService",
    "Provider",
    "Role",
    "RoleAssignment",
    "RoleAssignmentQuerySet",
    "SchoolYear",
    "Student",
    "StudentGroup",
    "StudentQuerySet",
    "WellbeingCounty",
    "finnish_date",
    "role_choices",
    "validate_hetu",
    "validate_oppijanumero",
]
