from django.contrib import admin

from .models import WarningRule, WarningStep


class StepInline(admin.TabularInline):
    model = WarningStep
    extra = 1


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "institution", "level", "kind", "active"]
    list_filter = ["kind", "level", "active"]
    inlines = [StepInline]
