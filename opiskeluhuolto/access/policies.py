"""View policies. Every view (HTML or API) declares exactly one.

Default deny: LoginRequiredMiddleware guards everything, and a system check
(opiskeluhuolto/checks.py) fails when a view carries no policy marker. A role
policy that does not match answers 404, the same as a missing page, so the
existence of a page or object is never leaked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404

from opiskeluhuolto.lib import confidential

from .identification import require_strong_identification
from .permissions import Permissions, for_user

POLICY_ATTR = "access_policy"


def _mark(view: Callable, name: str) -> Callable:
    setattr(view, POLICY_ATTR, name)
    return view


def public(reason: str, *, confidential: bool = False) -> Callable[[Callable], Callable]:
    """No sign-in. `reason` says why the page is public; it is required.

    `confidential=True` for a public address that still answers with personal data (a
    secret-token feed): its responses are never stored, like those of the other policies.
    """
    if not reason.strip():
        raise ValueError("a public view must say why it is public")

    def decorator(view: Callable) -> Callable:
        if confidential:
            view = _no_store(view)
        return _mark(login_not_required(view), "public")

    return decorator


def _no_store(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        confidential.mark(request)
        return view(request, *args, **kwargs)

    return wrapped


def _role_policy(
    name: str, predicate: Callable[[Permissions], bool], *, strong_id: bool = False
) -> Callable:
    """Every role policy guards personal data: its responses are never stored (lib.confidential).

    `strong_id`: the view shows or changes the student's confidential welfare data to the
    student or a guardian, so the session must be strongly identified (LAW.md L-306-4);
    otherwise `StrongIdentificationRequired` sends a page to the step-up and an API call
    gets 403 (accounts.middleware)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            confidential.mark(request)
            if not request.user.is_authenticated:
                # LoginRequiredMiddleware redirects first; this is a second lock.
                raise Http404
            if not predicate(for_user(request.user)):
                raise Http404
            if strong_id:
                require_strong_identification(request)
            return view(request, *args, **kwargs)

        return _mark(wrapped, name)

    return decorator


#: The role policies: one predicate each, for the pages (the decorators below) and the
#: API (`access.api.api_policy`) alike.
ROLE_PREDICATES: dict[str, Callable[[Permissions], bool]] = {
    #: Any signed-in person; object checks happen inside the view through `access`.
    "authenticated": lambda p: p.is_authenticated,
    #: Anyone holding an active staff role assignment.
    "staff": lambda p: p.is_staff_member,
    #: The school's own staff: a staff role other than external group member (the directory).
    "school_staff": lambda p: p.is_school_staff,
    #: Kuraattori, psykologi, terveydenhoitaja, lääkäri.
    "welfare_professional": lambda p: p.is_welfare_professional,
    #: Provider admin of some provider; objects are still checked per provider.
    "provider_admin": lambda p: p.is_provider_admin(),
    #: A student or the guardian of a minor student.
    "student_or_guardian": lambda p: p.is_student or p.is_guardian,
}

authenticated = _role_policy("authenticated", ROLE_PREDICATES["authenticated"])
staff = _role_policy("staff", ROLE_PREDICATES["staff"])
school_staff = _role_policy("school_staff", ROLE_PREDICATES["school_staff"])
welfare_professional = _role_policy("welfare_professional", ROLE_PREDICATES["welfare_professional"])
provider_admin = _role_policy("provider_admin", ROLE_PREDICATES["provider_admin"])
student_or_guardian = _role_policy("student_or_guardian", ROLE_PREDICATES["student_or_guardian"])
#: The student's or guardian's own confidential welfare data (the record's copy, the copy
#: of everything held, "who has read my data", her consents, a rectification request):
#: a student or guardian, in a strongly identified session (LAW.md L-306-4, L-IF-4).
own_data = _role_policy("own_data", ROLE_PREDICATES["student_or_guardian"], strong_id=True)
