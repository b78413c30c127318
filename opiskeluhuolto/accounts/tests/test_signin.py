import pytest
from django.conf import settings
from django.urls import reverse

from opiskeluhuolto.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_local_account_signs_in_and_lands_on_home(client, cast):
    r = login(client, "aino")
    assert r.status_code == 302
    assert r["Location"] == reverse("front:home")


def test_wrong_password_is_refused_in_finnish(client, cast):
    r = client.post(
        reverse("account_login"), {"login": "aino", "password": "väärä"}, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert r.status_code == 200
    assert "salasana" in r.content.decode().lower()


def test_failed_sign_ins_are_rate_limited(client, cast, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/key"}
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        assert login(client, "kaisa", "väärä").status_code == 200
    r = login(client, "kaisa")  # even the right password is refused while limited
    assert r.status_code == 429 or "_auth_user_id" not in client.session


def test_open_sign_up_is_closed(client, db):
    r = client.get(reverse("account_signup"))
    assert r.status_code == 200
    assert "form" not in r.content.decode().lower() or "signup_closed" in r.templates[0].name


def test_staff_without_totp_must_set_it_up(client, cast, settings):
    settings.REQUIRE_STAFF_MFA = True
    login(client, "kaisa")
    r = client.get(reverse("front:home"))
    assert r.status_code == 302
    assert r["Location"] == reverse("mfa_activate_totp")
    # The way to set it up stays open: allauth asks for the password again first.
    r = client.get(reverse("mfa_activate_totp"))
    assert r["Location"].startswith(reverse("account_reauthenticate"))
    r = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert r.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


def test_staff_with_totp_passes(client, cast, settings):
    from allauth.mfa.models import Authenticator

    settings.REQUIRE_STAFF_MFA = True
    Authenticator.objects.create(
        user=cast.kuraattori, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(cast.kuraattori)
    assert client.get(reverse("front:home")).status_code == 200


def test_students_and_guardians_are_not_forced_to_totp(client, cast, settings):
    settings.REQUIRE_STAFF_MFA = True
    for user in (cast.student, cast.guardian):
        client.force_login(user)
        assert client.get(reverse("front:home")).status_code == 200


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_session_used_now_and_then_stays_and_an_idle_one_ends(client, cast):
    """Idle timeout, not absolute: every request within the timeout keeps the session,
    and the session row is written at most once a minute, not on every request."""
    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home = reverse("front:home")
    import time

    start = time.time()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(cast.kuraattori)
        assert client.get(home).status_code == 200
        key = client.session.session_key
        expiry = Session.objects.get(session_key=key).expire_date
        traveller.shift(20)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home).status_code == 200
        writes = [q for q in queries.captured_queries if "django_session" in q["sql"]]
        assert all(q["sql"].lstrip().startswith("SELECT") for q in writes)
        # Used every 20 minutes for an hour: still signed in, the expiry keeps moving.
        for _ in range(3):
            traveller.shift(20 * 60)
            assert client.get(home).status_code == 200
        assert Session.objects.get(session_key=key).expire_date > expiry
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        assert client.get(home).status_code == 302  # to the sign-in page


def test_signing_in_is_the_sessions_first_touch(client, cast):
    """The request right after signing in does not write the session again (sign-in just
    wrote it with its full expiry); a request over a minute later does, moving the expiry;
    and a session not used after signing in still ends after the idle timeout."""
    import time

    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home = reverse("front:home")

    def session_writes() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home).status_code == 200
        return [
            q["sql"]
            for q in queries.captured_queries
            if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
        ]

    start = time.time()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(cast.kuraattori)
        key = client.session.session_key
        expiry = Session.objects.get(session_key=key).expire_date
        traveller.shift(5)
        assert session_writes() == []
        traveller.shift(60)
        assert session_writes() != []
        assert Session.objects.get(session_key=key).expire_date > expiry
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(cast.kuraattori)
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        assert client.get(home).status_code == 302  # to the sign-in page


def test_mfa_is_required_by_default_in_production():
    import subprocess
    import sys

    code = "import opiskeluhuolto.settings as s; print(s.REQUIRE_STAFF_MFA)"
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.fi",
        "FIELD_ENCRYPTION_KEYS": "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE=",
        "SITE_URL": "https://oh.example.fi",
        "PATH": "/usr/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )  # noqa: S603
    assert out.stdout.strip() == "True"


def _role_reads(client, url) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, sum("organisation_roleassignment" in q["sql"] for q in ctx.captured_queries)


def test_a_person_without_roles_at_sign_in_is_not_asked_for_their_roles(client, cast, settings):
    """Signing in notes in the session that the student holds no role (under the facts'
    token and the day): the two-factor middleware then knows they are no staff member
    without reading their role assignments (issue 16: the survey answer POST)."""
    from django.core.cache import cache

    from opiskeluhuolto.accounts.middleware import NO_ROLES

    settings.REQUIRE_STAFF_MFA = True
    client.force_login(cast.student)
    assert client.session[NO_ROLES]
    cache.clear()  # signing in cached the roles too (access.facts); another server has not
    assert _role_reads(client, reverse("api:surveys-open")) == (200, 0)


def test_staff_get_no_such_note_and_a_stale_note_is_not_trusted(client, cast, settings):
    from django.core.cache import cache

    from opiskeluhuolto.accounts.middleware import NO_ROLES

    settings.REQUIRE_STAFF_MFA = True
    client.force_login(cast.kuraattori)
    assert NO_ROLES not in client.session
    assert client.get(reverse("api:surveys-open")).status_code == 403
    client.force_login(cast.student)
    session = client.session
    session[NO_ROLES] = [session[NO_ROLES][0], "2000-01-01"]  # made on another day
    session.save()
    cache.clear()  # signing in cached the roles too (access.facts); another server has not
    assert _role_reads(client, reverse("api:surveys-open")) == (200, 1)


def test_a_role_given_after_sign_in_asks_for_totp_at_the_next_request(client, cast, settings):
    """The note is as fresh as the cached facts: a role assignment changes the facts'
    token, so the next request reads the roles and the staff rule applies."""
    from opiskeluhuolto.organisation.models import Role, RoleAssignment

    settings.REQUIRE_STAFF_MFA = True
    client.force_login(cast.student)
    assert client.get(reverse("api:surveys-open")).status_code == 200
    RoleAssignment.objects.create(
        user=cast.student,
        role=Role.TEACHER,
        provider=cast.provider,
        institution=cast.lukio,
        valid_from=cast.today,
    )
    assert client.get(reverse("api:surveys-open")).status_code == 403
    assert client.get(reverse("front:home"))["Location"] == reverse("mfa_activate_totp")
