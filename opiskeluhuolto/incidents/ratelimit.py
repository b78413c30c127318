"""A limit on anonymous reports per client, so the form cannot be flooded.

The client is the address the request came from (behind the trusted proxies, as sign-in
limits see it: `TRUSTED_PROXY_COUNT`), kept only as a keyed hash in Django's cache for
the window (`INCIDENT_ANONYMOUS_WINDOW_SECONDS`) and never written to the incident tables
or anywhere else: the report stays anonymous. At most `INCIDENT_ANONYMOUS_RATE` reports
are accepted from one client in the window; refused reports do not count.
"""

from __future__ import annotations

import hashlib
import hmac

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def _key(request) -> str:
    try:
        address = get_adapter().get_client_ip(request) or ""
    except PermissionDenied:  # no address at all: those clients share one limit
        address = ""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"incidents:anonymous:{digest.hexdigest()[:32]}"


def limited(request) -> bool:
    """Whether this client has sent its reports for now."""
    return (cache.get(_key(request)) or 0) >= settings.INCIDENT_ANONYMOUS_RATE


def count(request) -> None:
    """Count an accepted report; the window starts at the client's first one."""
    key = _key(request)
    if not cache.add(key, 1, settings.INCIDENT_ANONYMOUS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, settings.INCIDENT_ANONYMOUS_WINDOW_SECONDS)


def message() -> str:
    return _(
        "Many reports have been sent from this device just now. Try again in a while;"
        " in an emergency call 112, or tell an adult you trust at school."
    )
