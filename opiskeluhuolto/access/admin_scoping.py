"""The Django admin, scoped to the provider admin's own providers.

Provider admins get `is_staff` and the "Provider admins" permission group
(`organisation.admin_site.grant_admin_site`); every ModelAdmin of ours lists and offers
only rows of the providers they administer, the same rule as `access`
(`admin_provider_ids`). Superusers (the installation's operators) see everything.

An authorization rule, so it lives in `access`: the admin modules of `accounts`,
`organisation`, `imports` and `insights` use it.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from opiskeluhuolto.access.permissions import for_user


def users_of(provider_ids) -> Q:
    """People related to the providers, plus accounts not yet related to anyone."""
    return (
        Q(role_assignments__provider__in=provider_ids)
        | Q(student__institution__provider__in=provider_ids)
        | Q(guardianships__student__institution__provider__in=provider_ids)
        | Q(role_assignments__isnull=True, student__isnull=True, guardianships__isnull=True)
    )


def _scope_for(model, provider_ids):
    """A queryset of `model` limited to the providers, or None when the model is shared."""
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation.models import (
        Campus,
        Institution,
        Organisation,
        Provider,
        SchoolYear,
        Student,
        StudentGroup,
    )

    lookups = {
        Provider: "pk",
        Institution: "provider",
        Campus: "institution__provider",
        SchoolYear: "institution__provider",
        StudentGroup: "institution__provider",
        Student: "institution__provider",
        Organisation: "provider",
    }
    if model is User:
        return User.objects.filter(users_of(provider_ids)).distinct()
    if model in lookups:
        return model.objects.filter(**{f"{lookups[model]}__in": provider_ids})
    return None


class ScopedForeignKeys:
    """Foreign-key choices limited to the admin's providers (also validates the choice)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            ids = for_user(request.user).admin_provider_ids()
            scoped = _scope_for(db_field.related_model, ids)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProviderScopedAdmin(ScopedForeignKeys, admin.ModelAdmin):
    """Lists only rows of the admin's providers. `provider_lookup` leads from the model to it."""

    provider_lookup: str | None = "provider"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        ids = for_user(request.user).admin_provider_ids()
        if self.provider_lookup is None:
            return qs.filter(users_of(ids)).distinct()
        return qs.filter(**{f"{self.provider_lookup}__in": ids})


class ScopedInline(ScopedForeignKeys, admin.TabularInline):
    pass
