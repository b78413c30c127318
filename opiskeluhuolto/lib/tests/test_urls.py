"""`reverse_pk` gives what `reverse` gives, for every URL of the project with one integer
key, and follows the script prefix."""

import pytest
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
    set_script_prefix,
)
from django.urls.converters import IntConverter

from opiskeluhuolto.lib.urls import pk_urls, reverse_pk


def named_patterns(resolver=None, namespace=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from named_patterns(p, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def one_int_key():
    names = []
    for name, pattern in named_patterns():
        converters = getattr(pattern.pattern, "converters", {})
        if len(converters) == 1 and isinstance(next(iter(converters.values())), IntConverter):
            names.append(name)
    return names


def test_there_are_urls_to_check():
    assert {"appointments:rebook", "appointments:request_detail"} <= set(one_int_key())


@pytest.mark.parametrize("name", one_int_key())
def test_each_url_with_one_key_is_reversed_as_django_does(name):
    for pk in (1, 7, 10, 345, 2_000_000_123):
        assert reverse_pk(name, pk) == reverse(name, args=[pk])


@pytest.mark.parametrize("name", ["appointments:rebook", "appointments:request_detail"])
def test_a_bound_name_is_reversed_as_django_does(name):
    url = pk_urls(name)
    for pk in (1, 7, 10, 345, 2_000_000_123):
        assert url(pk) == reverse(name, args=[pk])


def test_the_script_prefix_is_followed():
    plain = reverse_pk("appointments:rebook", 5)
    try:
        set_script_prefix("/opiskeluhuolto/")
        assert reverse_pk("appointments:rebook", 5) == reverse("appointments:rebook", args=[5])
        assert reverse_pk("appointments:rebook", 5) == "/opiskeluhuolto" + plain
        assert pk_urls("appointments:rebook")(5) == "/opiskeluhuolto" + plain
    finally:
        set_script_prefix("/")


def test_a_url_without_one_key_is_refused():
    with pytest.raises(NoReverseMatch):
        reverse_pk("front:home", 1)
