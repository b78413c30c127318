"""Pages of lists whose rows, or whose count, the caller already knows.

Django's `Paginator` counts every row to number the pages. Over the access log (millions
of rows) that count alone took 1.3–2.5 s a page on PostgreSQL (bench/README.md, "The
access log's write cost"), while the page itself, read along an index, took under a
millisecond. `page_without_count` reads one row more than the page to know whether an
older page exists, and gives a Django `Page` (the templates' `has_next`,
`next_page_number`… work as usual); only the number of pages is unknown, so templates
show the page's number alone.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

#: Beyond any list's end (a billion rows at 100 a page), within any OFFSET's range.
MAX_PAGE = 10_000_000


def page_without_count(queryset, per_page: int, number) -> Page:
    """Page `number` (1 for anything that is not a positive integer) of `queryset`."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    # A number no list reaches would overflow the database's OFFSET: the last page is as
    # far as anyone can page, so such a number is as good as one past it.
    number = min(number, MAX_PAGE)
    start = (number - 1) * per_page
    fetched = list(queryset[start : start + per_page + 1])
    # What is known: the rows up to this page and, if one more was found, one beyond it.
    # So `num_pages` is this page's number, or the next one's when there is more.
    return known_page(queryset, per_page, number, fetched[:per_page], start + len(fetched))


def known_page(queryset, per_page: int, number: int, rows: list, count: int) -> Page:
    """Page `number` of `queryset` holding `rows`, fetched already, with `count` rows in
    all (counted by the page's own query, or as far as known). Django's `Paginator` would
    count and fetch again: its `count` is a cached property, set here as it caches it."""
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = count
    return Page(rows, number, paginator)
