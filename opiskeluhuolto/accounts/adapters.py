from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the provider admin or an import, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """OpenID Connect (MPASSid) signs in people who already have an account."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False
