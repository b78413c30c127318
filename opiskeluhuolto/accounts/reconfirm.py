"""Staff confirm their second factor again before a disclosure or an export.

When the last confirmation of the second factor (TOTP) in this session, at sign-in or
since, is older than settings.STAFF_MFA_MAX_AGE_SECONDS, the request is suspended and
the person is sent to allauth's MFA re-authentication page; allauth then resumes the
request, a POST included (`allauth.account.internal.flows.reauthentication`). Hand-
written only in which record counts: allauth's own `reauthentication_required` accepts
a password as well, and its time limit (ACCOUNT_REAUTHENTICATION_TIMEOUT) covers every
sensitive account action, not just these.

People without a second factor are not stopped here: staff who can reach welfare data
must have one (RequireStaffMFAMiddleware), and students and guardians have their own
gate (access.identification).
"""

from __future__ import annotations

import time
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.urls import reverse

from opiskeluhuolto.access import for_user


def second_factor_confirmed_at(request) -> float | None:
    """When the second factor was last confirmed in this session (epoch seconds)."""
    times = [
        r["at"]
        for r in get_authentication_records(request, request.user)
        if r.get("method") == "mfa" and isinstance(r.get("at"), int | float)
    ]
    return max(times) if times else None


def needs_second_factor_again(request) -> bool:
    user = request.user
    if not user.is_authenticated or not for_user(user).is_staff_member:
        return False
    if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return False
    at = second_factor_confirmed_at(request)
    return at is None or time.time() - at > settings.STAFF_MFA_MAX_AGE_SECONDS


def second_factor_recently_confirmed(view):
    """Decorator for disclosure and export views (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if needs_second_factor_again(request):
            return suspend_request(request, reverse("mfa_reauthenticate"))
        return view(request, *args, **kwargs)

    return wrapped
