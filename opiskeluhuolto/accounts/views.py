"""The step-up page: a student or guardian identifies strongly before seeing confidential
content (LAW.md L-306-4). The sign-in itself is allauth's OpenID Connect flow."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.identification import (
    is_strong_sign_in,
    is_strongly_identified,
    session_identification,
)


def _login_url(provider_id: str, next_url: str) -> str:
    url = reverse("openid_connect_login", kwargs={"provider_id": provider_id})
    return f"{url}?{urlencode({'process': 'login', 'next': next_url})}"


def strong_login_url(next_url: str) -> str | None:
    """allauth's sign-in through the strong identification provider, or None if unset."""
    if not settings.USE_STRONG_ID:
        return None
    return _login_url(settings.STRONG_ID_PROVIDER_ID, next_url)


def _next(request) -> str:
    url = request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("front:home")


@policies.authenticated
@require_GET
def strong_identification(request):
    """Says why strong identification is needed and offers the provider's sign-in."""
    next_url = _next(request)
    if is_strongly_identified(request):
        return redirect(next_url)
    seen = session_identification(request)
    student = for_user(request.user).own_student
    minor_alternative = (
        settings.STRONG_ID_MINOR_ALTERNATIVE and student is not None and student.is_minor()
    )
    context = {
        "next": next_url,
        "login_url": strong_login_url(next_url),
        "provider_name": _strong_provider_name(),
        # The last sign-in went through a provider but did not count as strong: either
        # the provider is not one of the strong ones (MPASSid, whatever `acr` it sent),
        # or it is but said a lower level.
        "too_weak": bool(seen) and not is_strong_sign_in(seen),
        "not_a_strong_provider": bool(seen)
        and seen.get("provider") not in settings.STRONG_ID_PROVIDERS,
        "minor_alternative": minor_alternative,
        "mpassid_login_url": _login_url(settings.OIDC_PROVIDER_ID, next_url)
        if minor_alternative and settings.USE_OIDC
        else None,
    }
    return render(request, "accounts/strong_identification.html", context)


def _strong_provider_name() -> str:
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []):
        if app.get("provider_id") == settings.STRONG_ID_PROVIDER_ID:
            return app.get("name", "")
    return ""
