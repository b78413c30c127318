"""Failed sign-ins slow a guesser down without locking out a school or a named person.

A school signs in from one shared address; anyone can type a kuraattori's user name.
The limits (settings.ACCOUNT_RATE_LIMITS, accounts/adapters.py) count failures per
account at an address, per address with room for a whole school, and per account over
all addresses with room for the person's own mistakes.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db

SCHOOL = "192.0.2.10"
ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def _no_earlier_counts():
    cache.clear()


def sign_in(client, username, password, address):
    client.logout()
    client.post(
        reverse("account_login"), {"login": username, "password": password}, REMOTE_ADDR=address
    )
    return "_auth_user_id" in client.session


def test_a_whole_school_behind_one_address_is_not_locked_out(client, cast):
    students = [
        User.objects.create_user(username=f"oppilas{i}", password=PASSWORD) for i in range(40)
    ]
    for student in students:  # everyone mistypes once at 8 o'clock
        assert not sign_in(client, student.username, "väärä", SCHOOL)
    for student in students[:5]:
        assert sign_in(client, student.username, PASSWORD, SCHOOL)
    assert sign_in(client, "kaisa", PASSWORD, SCHOOL)


def test_failures_elsewhere_do_not_lock_out_a_named_kuraattori(client, cast):
    for _ in range(20):
        assert not sign_in(client, "kaisa", "arvaus", ATTACKER)
    assert sign_in(client, "kaisa", PASSWORD, HOME)


def test_guessing_one_account_from_one_address_is_slowed(client, cast):
    for _ in range(5):
        assert not sign_in(client, "kaisa", "arvaus", ATTACKER)
    # Refused at that address for the next minutes, even with the right password.
    assert not sign_in(client, "kaisa", PASSWORD, ATTACKER)
    assert sign_in(client, "kaisa", PASSWORD, HOME)


def test_guessing_from_many_addresses_meets_the_account_wide_limit(client, cast, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "8/15m/key",
    }
    for n in range(4):
        for _ in range(2):
            assert not sign_in(client, "kaisa", "arvaus", f"203.0.113.{n}")
    assert not sign_in(client, "kaisa", PASSWORD, HOME)
    # A successful sign-in does not count: the person's own sign-ins never use it up.
    cache.clear()
    for _ in range(10):
        assert sign_in(client, "kaisa", PASSWORD, HOME)


def test_the_defaults_leave_room_for_a_school():
    from allauth.core.internal.ratelimit import parse_rates
    from django.conf import settings

    limits = settings.ACCOUNT_RATE_LIMITS
    per_ip = [r for r in parse_rates(limits["login_failed"]) if r.per == "ip"]
    assert all(r.amount / (r.duration / 60) >= 50 for r in per_ip)  # failures a minute
    assert all(r.amount / (r.duration / 60) >= 300 for r in parse_rates(limits["login"]))
    assert [r.per for r in parse_rates(limits["login_failed_account"])] == ["key"]
