"""`page_without_count`: Django's Page of a list, without counting the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opiskeluhuolto.lib.paging import page_without_count
from opiskeluhuolto.organisation.models import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers():
    Provider.objects.bulk_create(Provider(name=f"P{i:02}") for i in range(25))
    return Provider.objects.filter(name__startswith="P").order_by("name")


@pytest.mark.parametrize(
    ("number", "first", "size", "newer", "older"),
    [
        (1, "P00", 10, False, True),
        ("2", "P10", 10, True, True),
        (3, "P20", 5, True, False),
        ("x", "P00", 10, False, True),
        (-4, "P00", 10, False, True),
    ],
)
def test_pages_and_their_neighbours(providers, number, first, size, newer, older):
    with CaptureQueriesContext(connection) as ctx:
        page = page_without_count(providers, 10, number)
        rows = list(page)
    assert [p.name for p in rows][:1] == [first] and len(rows) == size
    assert (page.has_previous(), page.has_next()) == (newer, older)
    if older:
        assert page.next_page_number() == page.number + 1
    assert len(ctx.captured_queries) == 1  # the rows only: no COUNT
    assert "COUNT(" not in ctx.captured_queries[0]["sql"].upper()


def test_a_page_beyond_the_end_is_empty_and_leads_back(providers):
    page = page_without_count(providers, 10, 9)
    assert list(page) == [] and page.has_previous() and not page.has_next()


def test_a_page_number_beyond_any_list_is_an_empty_page_not_an_error(providers):
    page = page_without_count(providers, 10, "9" * 30)
    assert list(page) == [] and page.has_previous() and not page.has_next()
