"""Policies for the JSON API: the predicates of the HTML views (`policies.ROLE_PREDICATES`).

Each operation passes `auth=api_policy(...)`; the system check fails when an
operation has none. Not signed in answers 401; signed in without the role
answers 404, as the HTML views do.
"""

from __future__ import annotations

from django.http import Http404
from ninja.security import SessionAuth

from opiskeluhuolto.lib import confidential

from .permissions import for_user
from .policies import ROLE_PREDICATES

#: The pages' role predicates (`policies.ROLE_PREDICATES`), and "public".
_PREDICATES = {"public": lambda p: True, **ROLE_PREDICATES}


class PolicyAuth(SessionAuth):
    """Session authentication plus a named policy."""

    def __init__(self, policy: str, *, confidential: bool = False):
        if policy not in _PREDICATES:
            raise ValueError(f"unknown policy {policy!r}")
        self.policy = policy
        self.confidential = confidential
        super().__init__(csrf=True)

    def __call__(self, request):
        if self.policy == "public":
            if self.confidential:
                # Runs before the body is read: its 400 and 422 are not stored either.
                confidential.mark(request)
            return True
        confidential.mark(request)  # every answer behind sign-in: Cache-Control: no-store
        return super().__call__(request)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if not _PREDICATES[self.policy](for_user(request.user)):
            raise Http404
        return request.user


def api_policy(name: str, *, confidential: bool = False) -> PolicyAuth:
    """`confidential=True` for a public operation that takes or answers confidential
    content (an anonymous report): every answer, errors included, is sent with
    `Cache-Control: no-store`, as `policies.public(..., confidential=True)` does for a
    page. Behind sign-in every answer is already."""
    return PolicyAuth(name, confidential=confidential)
