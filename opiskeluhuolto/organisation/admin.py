from django.contrib import admin

from opiskeluhuolto import audit
from opiskeluhuolto.access.admin_scoping import ProviderScopedAdmin, ScopedInline
from opiskeluhuolto.accounts.admin import UserAdmin
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.audit.admin_mixins import Audited, AuditedAdmin

from . import models
from .actions import guardianship_state, role_state


class CampusInline(ScopedInline):
    model = models.Campus
    extra = 0


class PeriodInline(ScopedInline):
    model = models.CalendarPeriod
    extra = 0


@admin.register(models.WellbeingCounty)
class WellbeingCountyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Provider)
class ProviderAdmin(ProviderScopedAdmin):
    provider_lookup = "pk"
    list_display = ["name", "business_id", "wellbeing_county", "register_responsible"]
    raw_id_fields = ["register_responsible"]


@admin.register(models.Institution)
class InstitutionAdmin(ProviderScopedAdmin):
    provider_lookup = "provider"
    list_display = ["name", "provider", "level", "municipality"]
    list_filter = ["provider", "level"]
    inlines = [CampusInline]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.SchoolYear)
class SchoolYearAdmin(ProviderScopedAdmin):
    provider_lookup = "institution__provider"
    list_display = ["name", "institution", "starts_on", "ends_on"]
    list_filter = ["institution"]
    inlines = [PeriodInline]


@admin.register(models.StudentGroup)
class StudentGroupAdmin(ProviderScopedAdmin):
    provider_lookup = "institution__provider"
    list_display = ["name", "institution", "campus", "supervisor"]
    list_filter = ["institution"]
    raw_id_fields = ["supervisor"]


class GuardianshipInline(ScopedInline):
    model = models.Guardianship
    extra = 0
    raw_id_fields = ["guardian"]


GUARDIANSHIPS = Audited(
    added=audit.Kind.GUARDIANSHIP_ADDED,
    changed=audit.Kind.GUARDIANSHIP_CHANGED,
    removed=audit.Kind.GUARDIANSHIP_REMOVED,
    state=guardianship_state,
    scope=lambda link: (link.student.institution.provider_id, link.student_id),
)
ROLE_ASSIGNMENTS = Audited(
    added=audit.Kind.ROLE_ADDED,
    changed=audit.Kind.ROLE_CHANGED,
    removed=audit.Kind.ROLE_REMOVED,
    state=role_state,
    scope=lambda assignment: (assignment.provider_id, None),
)


@admin.register(models.Student)
class StudentAdmin(AuditedAdmin, ProviderScopedAdmin):
    audited_inlines = {models.Guardianship: GUARDIANSHIPS}
    provider_lookup = "institution__provider"
    # No search box and no autocomplete: both put names in the URL, and no
    # personal data goes into URLs (ARCHITECTURE.md §8). Filter by institution.
    list_display = ["last_name", "first_name", "institution", "group", "status"]
    list_filter = ["institution", "status"]
    raw_id_fields = ["user", "group"]
    inlines = [GuardianshipInline]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin, ProviderScopedAdmin):
    audited = ROLE_ASSIGNMENTS
    provider_lookup = "provider"
    list_display = [
        "user",
        "role",
        "provider",
        "institution",
        "campus",
        "valid_from",
        "valid_until",
        "employer",
    ]
    list_filter = ["role", "provider", "institution"]
    raw_id_fields = ["user"]


class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Deleting a person cascades to their role assignments and guardianships: each of those
    rows gets its removal event, as if deleted one by one (decision 10). Registered here,
    not in `accounts`, because `accounts` sits below `organisation` and knows no roles."""

    audited_inlines = {
        models.RoleAssignment: ROLE_ASSIGNMENTS,
        models.Guardianship: GUARDIANSHIPS,
    }


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
