from django.contrib import admin

from .models import ProviderContact, ServiceBreak


@admin.register(ProviderContact)
class ProviderContactAdmin(admin.ModelAdmin):
    list_display = ["provider", "accessibility_email", "help_contact"]


@admin.register(ServiceBreak)
class ServiceBreakAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "message"]
