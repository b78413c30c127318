"""Access rules for the organisations around the school (issue 20, docs/organisations.md).

An organisation (the wellbeing county, a municipality, youth work, an NGO, a parish) is
kept in one provider's register. Its record holds communal information only: contacts,
services, agreements, the campuses it works at; never anything about a student.

- Every staff role of the provider (partners, external members, too) reads the register.
- Those who manage the provider's cooperation edit it: the provider admin, a principal
  of the provider (any unit), and the chair or secretary of a provider-wide welfare group
  (the steering group).
- Students and guardians see the public services with their service hours on their
  campus (`organisation.partners.public_services`), not the register.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import (
    Organisation,
    OrganisationAgreement,
    OrganisationContact,
    OrganisationService,
    Role,
)

#: The roles in a provider-wide welfare group that lead the provider's cooperation.
STEERING_ROLES = frozenset({"chair", "secretary"})


class OrganisationRules(RulePrimitives):
    def view_organisation(self, organisation: Organisation) -> bool:
        return any(g.provider_id == organisation.provider_id for g in self.grants)

    def manage_organisations(self, provider_id: int) -> bool:
        """THE rule of who edits a provider's organisations (written once, here)."""
        if self.is_provider_admin(provider_id):
            return True
        if any(g.role == Role.PRINCIPAL and g.provider_id == provider_id for g in self.grants):
            return True
        return provider_id in self._steering_provider_ids

    def manage_organisation(self, organisation: Organisation) -> bool:
        return self.manage_organisations(organisation.provider_id)

    def manage_employment(self, organisation: Organisation) -> bool:
        """Who records the organisation as the employer of the provider's role assignments
        (the county posting its kuraattori): those who manage role assignments, the provider
        admin (docs/organisations.md#employer). A principal edits the organisation, not
        the roles."""
        return self.is_provider_admin(organisation.provider_id)

    def organisation_provider_ids(self) -> list[int]:
        """The providers whose organisations this person may add to."""
        ids = {g.provider_id for g in self.grants} | set(self._steering_provider_ids)
        return sorted(p for p in ids if self.manage_organisations(p))

    @property
    def _steering_provider_ids(self) -> frozenset[int]:
        ids = [g for g, role in self.group_roles.items() if role in STEERING_ROLES]
        if not ids:
            return frozenset()
        cached = self.__dict__.get("_steering_ids")
        if cached is None:
            from opiskeluhuolto.meetings.models import Group

            # A regional group (owned by the county, issue 20) is not the provider's:
            # its chair does not lead the recording provider's cooperation.
            cached = frozenset(
                Group.objects.filter(pk__in=ids, institution__isnull=True)
                .exclude(kind=Group.Kind.REGIONAL)
                .values_list("provider_id", flat=True)
            )
            self.__dict__["_steering_ids"] = cached
        return cached


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_organisation(user, pk, *, need: str = "view") -> Organisation:
    from opiskeluhuolto.access.permissions import for_user

    organisation = _get(Organisation.objects.select_related("provider"), pk)
    can = for_user(user)
    check = {
        "view": can.view_organisation,
        "manage": can.manage_organisation,
        "employ": can.manage_employment,
    }[need]
    if not check(organisation):
        raise Http404
    return organisation


def _get_part(model, user, pk):
    from opiskeluhuolto.access.permissions import for_user

    part = _get(model.objects.select_related("organisation"), pk)
    if not for_user(user).manage_organisation(part.organisation):
        raise Http404
    return part


def get_contact(user, pk) -> OrganisationContact:
    return _get_part(OrganisationContact, user, pk)


def get_service(user, pk) -> OrganisationService:
    return _get_part(OrganisationService, user, pk)


def get_agreement(user, pk) -> OrganisationAgreement:
    return _get_part(OrganisationAgreement, user, pk)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The list scope of `view_organisation`."""
    from opiskeluhuolto.access.permissions import for_user

    ids = {g.provider_id for g in for_user(user).grants}
    return Organisation.objects.filter(Q(provider_id__in=ids))
