"""Responses with confidential content are never stored by a browser or a proxy.

The access policies mark the request (`mark`) when they let it through to a view or an
API operation that only signed-in people reach (or a public one that says it is
confidential), and `NoStoreMiddleware` then sends ``Cache-Control: no-store`` (with
Django's other never-cache headers) on whatever that request answers: the page, the
JSON, the PDF, the CSV or the calendar file, and the 404 alike. No view has to remember
it.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

ATTR = "_confidential_response"


def mark(request) -> None:
    """Say that the answer to this request must not be stored."""
    setattr(request, ATTR, True)


def is_marked(request) -> bool:
    return getattr(request, ATTR, False)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_marked(request):
            add_never_cache_headers(response)
        return response
