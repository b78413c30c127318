from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model

from opiskeluhuolto.organisation.models import Student

from .identification import id_token_claims

#: The account-wide limit on failed sign-ins, over every address (settings.ACCOUNT_RATE_LIMITS).
ACCOUNT_WIDE = "login_failed_account"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the provider admin or an import, never by open sign-up.

    Failed sign-ins are counted per account *and address* (allauth's "login_failed" key
    is the account alone, so anyone anywhere could lock a named kuraattori out), and
    per account over all addresses with a higher limit (ACCOUNT_WIDE). allauth has
    no setting for either; it keys the limit with `_get_login_attempts_cache_key`.
    """

    def is_open_for_signup(self, request) -> bool:
        return False

    def _account_key(self, request, **credentials) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{self._account_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        self._account_wide_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action=ACCOUNT_WIDE,
            key=self._account_key(request, **credentials),
        )
        if not self._account_wide_usage:
            super()._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """A password reset clears the account's failures at this address and account-wide."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action=ACCOUNT_WIDE,
            key=self._account_key(request, **credentials),
        )

    def _rollback_login_failed_rl_usage(self) -> None:
        """A successful sign-in takes back its own count, at this address and account-wide."""
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_wide_usage", None)
        if usage:
            usage.rollback()


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
        student = Student.objects.filter(hetu=hetu, user__is_active=True).first()
        if student:
            return student.user
    learner_id = str(claims.get(settings.OIDC_LEARNER_ID_CLAIM) or "").strip()
    if learner_id:
        student = Student.objects.filter(oppijanumero=learner_id, user__is_active=True).first()
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
