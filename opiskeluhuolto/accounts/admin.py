from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.access.admin_scoping import ProviderScopedAdmin

from .models import User


@admin.register(User)
class UserAdmin(ProviderScopedAdmin, BaseUserAdmin):
    provider_lookup = None  # people related to the admin's providers
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]  # Django's UserAdmin defines its fieldsets
        (_("Contact and position"), {"fields": ("phone", "title")}),
    )
    list_display = ("username", "first_name", "last_name", "title", "is_active")
    # No search: it would put names and e-mail addresses into the URL.
    search_fields = ()
