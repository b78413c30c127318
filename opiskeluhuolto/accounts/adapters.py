from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model

from opiskeluhuolto.organisation.models import Student

from .identification import id_token_claims


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the provider admin or an import, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False


def person_for_claims(claims: dict):
    """The existing account an OpenID Connect identity belongs to, or None.

    Matched, in this order, by the personal identity code (OIDC_HETU_CLAIM, what
    Suomi.fi-tunnistus and strong e-ID brokers give) or the national learner id
    (OIDC_LEARNER_ID_CLAIM, what MPASSid gives) against the student register, then by an
    e-mail address the provider says it has verified, against exactly one account.
    Nobody is created: an identity that matches no one is refused (sign-up is closed).
    """
    hetu = str(claims.get(settings.OIDC_HETU_CLAIM) or "").strip().upper()
    if hetu:
        student = Student.objects.filter(hetu=hetu, user__isnull=False).first()
        if student:
            return student.user
    learner_id = str(claims.get(settings.OIDC_LEARNER_ID_CLAIM) or "").strip()
    if learner_id:
        student = Student.objects.filter(oppijanumero=learner_id, user__isnull=False).first()
        if student:
            return student.user
    email = str(claims.get("email") or "").strip()
    if email and claims.get("email_verified") is True:
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) == 1:
            return users[0]
    return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """OpenID Connect (MPASSid, Suomi.fi) signs in people who already have an account."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Link a first-time identity to the person it names (`person_for_claims`).

        An identity already linked signs in as its account, as allauth does by default."""
        if sociallogin.is_existing:
            return
        data = sociallogin.account.extra_data or {}
        claims = {**id_token_claims(data), **(data.get("userinfo") or {})}
        user = person_for_claims(claims)
        if user is not None:
            sociallogin.connect(request, user)
