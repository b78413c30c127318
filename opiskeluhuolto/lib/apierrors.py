"""The API's one error shape, its exception handlers and the error codes every operation documents.

Every error the JSON API answers is ``{"detail": "...", "errors": {...}}`` (`ApiError`):
a sentence for people and, for invalid input, the messages per field. `install(api)`
makes django-ninja answer that way for everything a client can get wrong (an unreadable
body, a malformed multipart request, invalid parameters), so bad input gets a 4xx and
never a 500, and adds to each operation's OpenAPI description the codes that the
machinery around it can answer (401/403/404 from the policy, 400 for a body that cannot
be read, 422 for invalid parameters), so the document says what the API really does.

Why hand-written: django-ninja's default handlers answer 422 with a *list* under
``detail`` and leave request-body parsing errors of Django (multipart, a body read twice)
to Django's HTML error pages; it has no setting for either.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException, UnreadablePostError
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError

#: What the API answers for a body it cannot read.
UNREADABLE_BODY = "The request body could not be read: send JSON (Content-Type: application/json)."
INVALID_INPUT = "The request is not valid."


class ApiError(Schema):
    """Every error of the API: what went wrong, and per field for invalid input."""

    detail: str
    errors: dict[str, list[str]] = {}


def field_errors(errors: list[dict]) -> dict[str, list[str]]:
    """pydantic's error list as messages per field, e.g. ``{"body.starts_at": ["..."]}``."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ninja puts the body under the view's parameter name: ("body", "payload", "x").
        if len(loc) > 2 and loc[0] == "body":
            loc = [loc[0], *loc[2:]]
        out.setdefault(".".join(loc) or "request", []).append(str(error.get("msg", "")))
    return out


def install(api: NinjaAPI) -> None:
    """Answer every client error as `ApiError` and document the codes on every operation."""

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = {"detail": INVALID_INPUT, "errors": field_errors(exc.errors)}
        return api.create_response(request, body, status=422)

    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": UNREADABLE_BODY}, status=400)

    def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": "Bad request."}, status=400)

    # ninja's stubs type the handler's second argument as "instance or class"; ours get
    # the instance, as ninja calls them.
    api.add_exception_handler(ValidationError, invalid)  # type: ignore[arg-type]
    unreadable_classes: tuple[type[Exception], ...] = (
        MultiPartParserError,
        RawPostDataException,
        UnreadablePostError,
    )
    for exc_class in unreadable_classes:
        api.add_exception_handler(exc_class, unreadable)  # type: ignore[arg-type]
    bad_classes: tuple[type[Exception], ...] = (BadRequest, SuspiciousOperation)
    for exc_class in bad_classes:
        api.add_exception_handler(exc_class, bad_request)  # type: ignore[arg-type]
    for operation in operations(api):
        document_errors(operation)


def operations(api: NinjaAPI):
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def error_codes(operation) -> set[int]:
    """The codes an operation can answer besides its own: from its policy and its input."""
    codes: set[int] = set()
    sources = {model.__ninja_param_source__ for model in operation.models}
    if not is_public(operation):
        codes |= {401, 403, 404}  # not signed in; CSRF or two-factor missing; policy
    if "path" in sources:
        codes.add(404)
    if sources:
        codes.add(422)
    if sources & {"body", "form", "file"}:
        codes.add(400)
    return codes


def is_public(operation) -> bool:
    return all(getattr(auth, "policy", None) == "public" for auth in operation.auth_callbacks)


def document_errors(operation) -> None:
    for code in sorted(error_codes(operation) - set(operation.response_models)):
        operation.response_models[code] = operation._create_response_model(ApiError)
    if is_public(operation):
        # ninja lists the session cookie as required; an empty requirement says "or none".
        extra = operation.openapi_extra or {}
        operation.openapi_extra = {**extra, "security": [*extra.get("security", []), {}]}
