"""Two-factor sign-in is required for staff who can reach welfare data."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from opiskeluhuolto.access import for_user

# Paths a staff member without TOTP may still use: the way to set it up,
# signing out, the language switch and static files.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


def needs_totp_setup(user) -> bool:
    if not settings.REQUIRE_STAFF_MFA or not user.is_authenticated:
        return False
    if not for_user(user).is_staff_member:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(ALLOWED_PREFIXES) and needs_totp_setup(request.user):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
