"""Only the retention configuration is in the Django admin. Records, entries and the access
log are never registered here: the admin would read them without the access check and the
access log (ARCHITECTURE.md §2)."""

from django.contrib import admin

from .models import DestructionReport, RetentionClass


@admin.register(RetentionClass)
class RetentionClassAdmin(admin.ModelAdmin):
    list_display = ("provider", "document_type", "years", "start_event", "permanent")
    list_filter = ("provider",)


@admin.register(DestructionReport)
class DestructionReportAdmin(admin.ModelAdmin):
    list_display = ("run_at", "provider", "status", "run_by")
    readonly_fields = (
        "run_at",
        "provider",
        "status",
        "run_by",
        "dry_run",
        "destroyed",
        "held",
        "unhandled",
        "approved_by",
        "approved_at",
        "destroyed_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
