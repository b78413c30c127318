"""Records at sign-in how strongly the person was identified (LAW.md L-306-4).

An OpenID Connect sign-in stores the provider and the `acr` of its ID token in the
session (`access.identification.SESSION_KEY`); a password sign-in stores nothing, so it
never counts as strong. `access.identification` reads it.
"""

from __future__ import annotations

import time

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from opiskeluhuolto.access.identification import SESSION_KEY


def id_token_claims(extra_data: dict) -> dict:
    """The ID token's claims from a social account's extra data ({} if none).

    allauth keeps {"userinfo": ..., "id_token": ...}; only the ID token is signed by the
    provider for this client, so the assurance level (`acr`) is read from it alone."""
    token = (extra_data or {}).get("id_token")
    return token if isinstance(token, dict) else {}


@receiver(user_logged_in, dispatch_uid="oh_record_identification")
def record_identification(sender, request, user, sociallogin=None, **kwargs) -> None:
    request.session.pop(SESSION_KEY, None)
    if sociallogin is None:
        return
    claims = id_token_claims(sociallogin.account.extra_data)
    request.session[SESSION_KEY] = {
        "provider": sociallogin.account.provider,
        "acr": str(claims.get("acr") or ""),
        "at": int(time.time()),
        "user": user.pk,
    }
