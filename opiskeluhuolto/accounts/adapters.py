from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """OpenID Connect (MPASSid) signs in people who already have an account."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False
