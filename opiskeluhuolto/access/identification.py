"""How strongly the person in this session was identified (LAW.md L-306-4, L-IF-4).

Confidential content (the welfare record, its PDF copy, "who has read my data") is shown
to a student or a guardian only in a session identified strongly: signed in through an
OpenID Connect provider the register controller configured for strong identification
(settings.STRONG_ID_PROVIDERS: Suomi.fi-tunnistus, a strong e-ID through an identity
broker) whose ID token carried an `acr` listed in settings.STRONG_ID_ACCEPTED_ACR. Both
must hold: an `acr` is only as good as the provider that says it, so a strong-looking
`acr` from MPASSid or any other provider counts for nothing. `accounts.identification` writes what the provider said into the session at
sign-in; this module only reads it. Staff are not gated here: they confirm their second
factor instead (`second_factor`).

Where the provider has turned on STRONG_ID_MINOR_ALTERNATIVE, a student under 18 who
signed in through MPASSid (settings.OIDC_PROVIDER_ID) and confirmed a second factor in
the same session counts as identified by an "equally secure" method (306/2019 §6(2),
LAW.md open item 7; docs/welfare-register.md says why).
"""

from __future__ import annotations

from django.conf import settings

#: Session key: what the identity provider said at sign-in.
SESSION_KEY = "oh_identification"
#: The error code the API answers with, and the step-up page names.
ERROR_CODE = "strong_identification_required"


class StrongIdentificationRequired(Exception):
    """Raised where confidential content would be shown to a weakly identified student or
    guardian. HTML requests are sent to the step-up page, API calls get 403 JSON
    (accounts.middleware.StrongIdentificationMiddleware, api.urls)."""


def session_identification(request) -> dict:
    """{"provider", "acr", "at", "user"} of the last OpenID Connect sign-in, or {}."""
    if request is None or not hasattr(request, "session"):
        return {}
    data = request.session.get(SESSION_KEY)
    user = getattr(request, "user", None)
    if not isinstance(data, dict) or user is None or data.get("user") != user.pk:
        return {}
    return data


def is_strong_acr(acr: str | None) -> bool:
    return bool(acr) and acr in settings.STRONG_ID_ACCEPTED_ACR


def is_strong_sign_in(identification: dict) -> bool:
    """Whether a sign-in (`session_identification`) counts as strong identification: a
    provider in settings.STRONG_ID_PROVIDERS said a strong `acr`."""
    return identification.get("provider") in settings.STRONG_ID_PROVIDERS and is_strong_acr(
        identification.get("acr")
    )


def _minor_alternative(request) -> bool:
    """MPASSid sign-in plus a confirmed second factor, for a student under 18 only."""
    if not settings.STRONG_ID_MINOR_ALTERNATIVE:
        return False
    from allauth.account.internal.flows.login import get_authentication_records

    from .permissions import for_user

    student = for_user(request.user).own_student
    if student is None or not student.is_minor():
        return False
    records = get_authentication_records(request, request.user)
    mpassid = any(
        r.get("method") == "socialaccount" and r.get("provider") == settings.OIDC_PROVIDER_ID
        for r in records
    )
    second_factor = any(r.get("method") == "mfa" for r in records)
    return mpassid and second_factor


def is_strongly_identified(request) -> bool:
    """True when this session may show confidential content to a student or guardian.

    Always true while settings.REQUIRE_STRONG_ID is off (development, tests that are not
    about identification)."""
    if not settings.REQUIRE_STRONG_ID:
        return True
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return False
    if is_strong_sign_in(session_identification(request)):
        return True
    return _minor_alternative(request)


def require_strong_identification(request) -> None:
    """Raise StrongIdentificationRequired unless the session is strongly identified."""
    if not is_strongly_identified(request):
        raise StrongIdentificationRequired


def require_for_basis(request, basis: str | None) -> None:
    """The one rule: a student or guardian reading their own (or the child's) welfare data
    needs a strongly identified session; staff reading on membership or as register
    administration confirm a second factor instead."""
    from .cases import GUARDIAN, OWN_DATA  # the access bases of the student and a guardian

    if basis in (OWN_DATA, GUARDIAN):
        require_strong_identification(request)
