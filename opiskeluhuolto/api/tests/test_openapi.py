"""The OpenAPI document says what the API does: one name per schema, every error code."""

from __future__ import annotations

import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from opiskeluhuolto.api.urls import api
from opiskeluhuolto.lib.apierrors import operations

pytestmark = pytest.mark.django_db


def _models_in(annotation) -> typing.Iterator[type[BaseModel]]:
    """Every pydantic model an annotation names, with the models their fields name."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models_in(field.annotation)
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _component_models() -> set[type[BaseModel]]:
    """The models that become components: those inside ninja's response and param wrappers."""
    found: set[type[BaseModel]] = set()
    for operation in operations(api):
        wrappers = [m for m in operation.response_models.values() if isinstance(m, type)]
        for wrapper in [*wrappers, *operation.models]:
            for field in wrapper.model_fields.values():
                found.update(_models_in(field.annotation))
    return found


def test_no_two_schemas_share_a_component_name():
    """ninja names components by class name: a second `MemberOut` silently replaces the first."""
    by_name = defaultdict(set)
    for model in _component_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    duplicates = {name: sorted(c) for name, c in by_name.items() if len(c) > 1}
    assert not duplicates


def test_case_members_are_described_by_the_cases_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    detail = schema["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]["200"]
    ref = detail["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    members = schema["components"]["schemas"][ref]["properties"]["members"]["items"]["$ref"]
    member = schema["components"]["schemas"][members.rsplit("/", 1)[1]]
    assert set(member["properties"]) == {
        "name",
        "position",
        "is_responsible",
        "started_on",
        "ended_on",
    }


def _expected_codes(operation: dict) -> set[str]:
    """The codes an operation can answer, read from the document itself."""
    codes = set()
    params = operation.get("parameters", [])
    security = operation.get("security", [])
    if security and {} not in security:  # {}: may be called without signing in
        codes |= {"401", "403", "404"}
    if any(p["in"] == "path" for p in params):
        codes.add("404")
    if params or "requestBody" in operation:
        codes.add("422")
    if "requestBody" in operation:
        codes.add("400")
    return codes


def test_every_operation_documents_its_error_codes(client):
    schema = client.get("/api/v1/openapi.json").json()
    missing = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            lacking = _expected_codes(operation) - set(operation["responses"])
            if lacking:
                missing[f"{method.upper()} {path}"] = sorted(lacking)
    assert not missing


def test_errors_are_documented_as_they_are_answered(client):
    """422 is an object with a sentence and messages per field, not ninja's bare list."""
    schema = client.get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["ApiError"]
    assert error["properties"]["detail"]["type"] == "string"
    assert error["properties"]["errors"]["type"] == "object"
    for item in schema["paths"].values():
        for operation in item.values():
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ApiError"), (operation["operationId"], code)
