"""System checks: every view declares an access policy.

Walks the whole URLconf at start-up (and in `manage.py check`, which CI runs)
and fails when a view has no policy marker, so "every view goes through the
access layer" is a build failure rather than a review comment. API operations
are checked the same way through their auth callbacks.
"""

from __future__ import annotations

from django.core.checks import Error, register
from django.urls import URLPattern, URLResolver, get_resolver

from opiskeluhuolto.access.api import PolicyAuth
from opiskeluhuolto.access.policies import POLICY_ATTR

# Views that come with a library and guard themselves. Each entry says why.
EXEMPT_NAMESPACES = {
    # The Django admin checks is_staff itself; only provider admins get is_staff.
    "admin",
    # django-ninja: each API operation is checked below instead; the schema
    # (openapi.json) describes the API and holds no data.
    "api",
}
EXEMPT_ROUTE_PREFIXES = (
    # allauth's sign-in, sign-out, password and MFA views: they are the way in.
    "accounts/",
)
EXEMPT_MODULE_PREFIXES = (
    # Static files in DEBUG only (whitenoise serves them in production).
    "django.contrib.staticfiles.",
    "django.views.static",
)


def iter_patterns(resolver=None, prefix: str = "", namespace: str | None = None):
    """Yield (route, name, namespace, callback) for every URL pattern, depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_patterns(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, namespace, entry.callback


def view_module(callback) -> str:
    target = getattr(callback, "view_class", None) or callback
    target = getattr(target, "__wrapped__", target)
    return f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', '')}"


def is_exempt(route: str, namespace: str | None, callback) -> bool:
    if namespace and namespace.split(":")[0] in EXEMPT_NAMESPACES:
        return True
    if route.startswith(EXEMPT_ROUTE_PREFIXES):
        return True
    return view_module(callback).startswith(EXEMPT_MODULE_PREFIXES)


def iter_api_operations():
    from opiskeluhuolto.api.urls import api

    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


@register()
def check_view_policies(app_configs, **kwargs):
    errors = []
    for route, name, namespace, callback in iter_patterns():
        if is_exempt(route, namespace, callback):
            continue
        if not hasattr(callback, POLICY_ATTR):
            errors.append(
                Error(
                    f"View {view_module(callback)} at /{route} ({name}) has no access policy.",
                    hint="Decorate it with a policy from opiskeluhuolto.access.policies.",
                    id="opiskeluhuolto.E001",
                )
            )
    for path, operation in iter_api_operations():
        callbacks = operation.auth_callbacks or []
        if not any(isinstance(cb, PolicyAuth) for cb in callbacks):
            errors.append(
                Error(
                    f"API operation {operation.view_func.__qualname__} at {path} has no access policy.",
                    hint="Pass auth=api_policy(...) from opiskeluhuolto.access.api.",
                    id="opiskeluhuolto.E002",
                )
            )
    return errors
