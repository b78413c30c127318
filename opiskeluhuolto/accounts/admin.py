from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Contact and position"), {"fields": ("phone", "title")}),
    )
    list_display = ("username", "first_name", "last_name", "title", "is_active")
    # No search: it would put names and e-mail addresses into the URL.
    search_fields = ()
