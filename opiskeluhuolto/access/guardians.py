"""Who sees a student's matter, said to her and her guardian (LAW.md L-18-1, L-GDPR-5).

The guardian's own access is `Permissions.guardian_may_see` (access.cases): this is the
same rule from the student's side, for telling her truthfully who sees the matter.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q


def guardians_may_see_case(case, day: date) -> bool:
    """Whether any guardian of the student may see `case` on `day`: she is a minor, and
    a guardian of hers is neither kept out by a prohibition in force covering the matter
    (L-18-1) nor refused access to it (L-GDPR-5, that guardian's data request refused in
    whole or for this matter). One query."""
    from opiskeluhuolto.cases.models import GuardianProhibition

    from .models import AccessRestriction

    student = case.student
    if not student.is_minor(day):
        return False
    prohibited = Exists(GuardianProhibition.objects.covering(student, case))
    refused = Exists(
        AccessRestriction.objects.in_force().filter(
            Q(case__isnull=True) | Q(case=case), person=OuterRef("guardian_id"), student=student
        )
    )
    return student.guardianships.exclude(prohibited).exclude(refused).exists()
