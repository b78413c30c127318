"""Records at sign-in how strongly the person was identified (LAW.md L-306-4).

An OpenID Connect sign-in stores the provider and the `acr` of its ID token in the
session (`access.identification.SESSION_KEY`); a password sign-in stores nothing, so it
never counts as strong. `access.identification` reads it.
"""

from __future__ import annotations

import time

from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialAccount
from django.db.models.signals import pre_save
from django.dispatch import receiver

from opiskeluhuolto.access.identification import SESSION_KEY

#: What is kept of a provider's claims after the sign-in: who issued the identity, its
#: opaque subject and how strongly it was identified (for the audit of a sign-in). The
#: rest (a Suomi.fi identity code, names, e-mail, a learner id) is read once at sign-in
#: (`adapters.person_for_claims`) and not stored: allauth would keep it in
#: `SocialAccount.extra_data`, unencrypted and never deleted (docs/dpia.md, R9).
KEPT_CLAIMS = ("iss", "sub", "aud", "acr", "amr", "auth_time")


def kept_claims(extra_data: dict) -> dict:
    """`extra_data` without what `KEPT_CLAIMS` leaves out: the ID token's kept claims
    only, no user info."""
    token = id_token_claims(extra_data)
    return {"id_token": {k: token[k] for k in KEPT_CLAIMS if k in token}}


def id_token_claims(extra_data: dict) -> dict:
    """The ID token's claims from a social account's extra data ({} if none).

    allauth keeps {"userinfo": ..., "id_token": ...}; only the ID token is signed by the
    provider for this client, so the assurance level (`acr`) is read from it alone."""
    token = (extra_data or {}).get("id_token")
    return token if isinstance(token, dict) else {}


@receiver(pre_save, sender=SocialAccount, dispatch_uid="oh_keep_only_the_sign_in_claims")
def keep_only_the_sign_in_claims(sender, instance, **kwargs) -> None:
    """Every save of a social account (allauth saves one when it links an identity and
    again at each sign-in, before the sign-in completes or fails) stores `KEPT_CLAIMS`
    only, in the row and on the instance. A new dict: the claims a caller read before the
    save (`adapters.person_for_claims` matches the person with them) are left as they
    were; the level read after it (`record_identification`) is among those kept."""
    instance.extra_data = kept_claims(instance.extra_data)


@receiver(user_logged_in, dispatch_uid="oh_record_identification")
def record_identification(sender, request, user, sociallogin=None, **kwargs) -> None:
    request.session.pop(SESSION_KEY, None)
    if sociallogin is None:
        return
    account = sociallogin.account
    claims = id_token_claims(account.extra_data)
    request.session[SESSION_KEY] = {
        "provider": account.provider,
        "acr": str(claims.get("acr") or ""),
        "at": int(time.time()),
        "user": user.pk,
    }
