from django.contrib import admin

from opiskeluhuolto.access.admin_scoping import ProviderScopedAdmin

from .models import ImportRun, MarkCode


@admin.register(MarkCode)
class MarkCodeAdmin(ProviderScopedAdmin):
    provider_lookup = "institution__provider"
    list_display = ["institution", "code", "absence_class", "label"]
    list_filter = ["institution", "absence_class"]


@admin.register(ImportRun)
class ImportRunAdmin(ProviderScopedAdmin):
    provider_lookup = "institution__provider"
    list_display = ["file_name", "institution", "kind", "status", "rows_read", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
