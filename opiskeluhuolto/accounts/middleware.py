"""Sessions that time out when idle, and two-factor sign-in for staff who can reach welfare data."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.identification import ERROR_CODE, StrongIdentificationRequired

# Paths a staff member without TOTP may still use: the way to set it up,
# signing out, the language switch and static files (and the browser's icon).
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/favicon.ico")
API_PREFIX = "/api/"
TOTP_REQUIRED = "Two-factor sign-in (TOTP) must be set up first, on the web pages."


#: The session's note that the person held no role when signing in (`Permissions.no_roles_note`).
NO_ROLES = "_no_roles"


def needs_totp_setup(user, session=None) -> bool:
    """Whether this staff member must set up TOTP first. A person whose session notes
    that they held no role at sign-in, under the facts' token and day still current, is
    no staff member: their role assignments are not read (issue 16: the answer POST of
    a student). Any change to role assignments changes the token, so the note is as
    fresh as the cached facts; a role given after sign-in is seen on the next request."""
    if not settings.REQUIRE_STAFF_MFA or not user.is_authenticated:
        return False
    can = for_user(user)
    if session is not None:
        can.adopt_no_roles(session.get(NO_ROLES))
    if not can.is_staff_member:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@receiver(user_logged_in, dispatch_uid="oh_session_no_roles_at_sign_in")
def note_no_roles_at_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in notes in the session whether the person holds no role (the session is
    written then anyway), for `needs_totp_setup` on the requests that follow."""
    if not settings.REQUIRE_STAFF_MFA or request is None or not hasattr(request, "session"):
        return
    note = for_user(user).no_roles_note()
    if note is None:
        request.session.pop(NO_ROLES, None)
    else:
        request.session[NO_ROLES] = note


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(ALLOWED_PREFIXES) and needs_totp_setup(
            request.user, getattr(request, "session", None)
        ):
            if request.path.startswith(API_PREFIX):
                # An API client cannot follow a redirect to an HTML page: say why, in JSON.
                return JsonResponse({"detail": TOTP_REQUIRED}, status=403)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def strong_identification_api_response(request, exception=None) -> JsonResponse:
    """403 JSON for an API call that would show confidential data to a weakly identified
    student or guardian: the code `strong_identification_required` and the step-up page."""
    return JsonResponse(
        {
            "detail": _("Strong identification is needed to see confidential data."),
            "code": ERROR_CODE,
            "step_up_url": reverse("identification:strong"),
        },
        status=403,
        headers={"Cache-Control": "no-store"},
    )


class StrongIdentificationMiddleware:
    """Turns StrongIdentificationRequired into the step-up (LAW.md L-306-4): a page is
    redirected to the step-up page with `next` back to it. The API registers
    `strong_identification_api_response` with django-ninja (api.urls)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StrongIdentificationRequired):
            return None
        if request.path.startswith("/api/"):
            return strong_identification_api_response(request, exception)
        url = reverse("identification:strong")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


#: The session's expiry moves forward at most this often (seconds).
TOUCH_EVERY = 60
TOUCHED = "_touched"


@receiver(user_logged_in, dispatch_uid="oh_session_touched_at_sign_in")
def touched_at_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in writes the session with its full expiry: that is its first touch, so the
    requests of the next minute need not write it again (`IdleSessionMiddleware`)."""
    if request is not None and hasattr(request, "session"):
        request.session[TOUCHED] = int(time.time())


class IdleSessionMiddleware:
    """Keeps a signed-in session alive while it is used, writing it at most once a minute.

    The idle timeout (SESSION_COOKIE_AGE, 30 minutes) only needs the session's expiry
    moved forward now and then; Django's SESSION_SAVE_EVERY_REQUEST would write the
    session row, and commit, on every request. A session is written when it was last
    written over a minute ago, so it ends after 29–30 minutes without a request. Sign-in
    counts as a write (`touched_at_sign_in`): the session was just saved with a fresh
    expiry. Placed right after SessionMiddleware, so it runs before the session is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(TOUCHED, 0) >= TOUCH_EVERY:
                request.session[TOUCHED] = now
        return response
