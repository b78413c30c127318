"""The JSON API under /api/v1/, OpenAPI at /api/v1/openapi.json.

Each app that has an `api.py` with a `router` is mounted at /api/v1/<app>/.
The API has no permission logic of its own: every operation carries
`auth=api_policy(...)` and fetches objects through `access`.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI

from opiskeluhuolto.access.identification import StrongIdentificationRequired
from opiskeluhuolto.accounts.middleware import strong_identification_api_response
from opiskeluhuolto.lib import apierrors

api = NinjaAPI(
    title="Opiskeluhuolto API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    description="Student welfare (opiskeluhuolto). Session-authenticated; "
    "the same access rules as the web pages.",
)

# Confidential data to a weakly identified student or guardian: 403 with a code that
# names the step-up (LAW.md L-306-4).
api.add_exception_handler(StrongIdentificationRequired, strong_identification_api_response)

for config in apps.get_app_configs():
    if not config.name.startswith("opiskeluhuolto."):
        continue
    try:
        module = import_module(f"{config.name}.api")
    except ModuleNotFoundError as e:
        if e.name != f"{config.name}.api":
            raise
        continue
    router = getattr(module, "router", None)
    if router is not None:
        # No trailing slash: a router's "" operation is /api/v1/<app> itself (the issues' paths).
        api.add_router(f"/{config.label}", router)

# One error shape for every client error, documented on every operation.
apierrors.install(api)


def urlpatterns():
    # The API answers 401 itself instead of redirecting to the sign-in page.
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace
