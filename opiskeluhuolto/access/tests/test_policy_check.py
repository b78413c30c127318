"""Adding a view without a policy fails the build (the system check)."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from ninja import NinjaAPI, Router

from opiskeluhuolto import checks
from opiskeluhuolto.access import policies
from opiskeluhuolto.access.api import api_policy


def naked_view(request):
    return HttpResponse("no policy")


@policies.staff
def guarded_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("naked/", naked_view, name="naked"),
    path("guarded/", guarded_view, name="guarded"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_view_without_policy_is_an_error():
    errors = [e for e in checks.check_view_policies(None) if e.id == "opiskeluhuolto.E001"]
    assert len(errors) == 1
    assert "naked_view" in errors[0].msg


def test_project_has_no_view_without_policy():
    assert checks.check_view_policies(None) == []


def test_api_operation_without_policy_is_an_error(monkeypatch):
    api = NinjaAPI(urls_namespace="test-api")
    router = Router()

    @router.get("/open")
    def open_operation(request):
        return {}

    @router.get("/closed", auth=api_policy("staff"))
    def closed_operation(request):
        return {}

    api.add_router("/x/", router)
    monkeypatch.setattr("opiskeluhuolto.api.urls.api", api)
    errors = [e for e in checks.check_view_policies(None) if e.id == "opiskeluhuolto.E002"]
    assert [e.msg.split()[2] for e in errors] == [
        "test_api_operation_without_policy_is_an_error.<locals>.open_operation"
    ]


def test_public_needs_a_reason():
    with pytest.raises(ValueError):
        policies.public("  ")


def test_pages_and_api_share_one_predicate_per_role_policy():
    """One rule: the API's role policies are the pages' predicates, not a copy of them."""
    from opiskeluhuolto.access import api

    for name, predicate in policies.ROLE_PREDICATES.items():
        assert api._PREDICATES[name] is predicate, name
        assert getattr(policies, name)(lambda request: None).access_policy == name
    assert set(api._PREDICATES) == {"public", *policies.ROLE_PREDICATES}
