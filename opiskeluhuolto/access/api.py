"""Policies for the JSON API: the same predicates as the HTML views.

Each operation passes `auth=api_policy(...)`; the system check fails when an
operation has none. Not signed in answers 401; signed in without the role
answers 404, as the HTML views do.
"""

from __future__ import annotations

from django.http import Http404
from ninja.security import SessionAuth

from opiskeluhuolto.lib import confidential

from .permissions import for_user

_PREDICATES = {
    "public": lambda p: True,
    "authenticated": lambda p: p.is_authenticated,
    "staff": lambda p: p.is_staff_member,
    "welfare_professional": lambda p: p.is_welfare_professional,
    "provider_admin": lambda p: p.is_provider_admin(),
    "student_or_guardian": lambda p: p.is_student or p.is_guardian,
}


class PolicyAuth(SessionAuth):
    """Session authentication plus a named policy."""

    def __init__(self, policy: str):
        if policy not in _PREDICATES:
            raise ValueError(f"unknown policy {policy!r}")
        self.policy = policy
        super().__init__(csrf=True)

    def __call__(self, request):
        if self.policy == "public":
            return True
        confidential.mark(request)  # every answer behind sign-in: Cache-Control: no-store
        return super().__call__(request)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if not _PREDICATES[self.policy](for_user(request.user)):
            raise Http404
        return request.user


def api_policy(name: str) -> PolicyAuth:
    return PolicyAuth(name)
