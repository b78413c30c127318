from django.contrib import admin

from .models import PrivacyNotice


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """The provider's own lines of the privacy notice (no personal data)."""

    list_display = ["provider", "contact", "updated_on"]
