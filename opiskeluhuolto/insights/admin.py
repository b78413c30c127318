from django.contrib import admin

from opiskeluhuolto.access.admin_scoping import ProviderScopedAdmin, ScopedInline

from .models import WarningRule, WarningStep


class StepInline(ScopedInline):
    model = WarningStep
    extra = 1


@admin.register(WarningRule)
class WarningRuleAdmin(ProviderScopedAdmin):
    provider_lookup = "provider"
    list_display = ["name", "provider", "institution", "level", "kind", "active"]
    list_filter = ["kind", "level", "active"]
    inlines = [StepInline]
