"""The organisations' public services, as students and guardians see them (issue 20).

No access rule here: a public service with its hours is public information of the
campuses its organisation works at (docs/organisations.md).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Campus, Institution, OrganisationService


def public_services(institution: Institution, campus: Campus | None = None) -> QuerySet:
    """Public services of the organisations working at the campus, or, without a campus,
    at any campus of the institution."""
    q = Q(organisation__campuses__institution=institution)
    if campus is not None:
        q = Q(organisation__campuses=campus)
    return (
        OrganisationService.objects.filter(q, public=True)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name", "pk")
    )


def services_by_campus(institution: Institution) -> list[tuple[Campus, list]]:
    """Each campus of the institution with the public services offered there."""
    rows = []
    for campus in institution.campuses.order_by("name"):
        services = list(public_services(institution, campus))
        if services:
            rows.append((campus, services))
    return rows
