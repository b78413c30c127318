"""Staff confirm their second factor again before a disclosure or an export when it is
older than STAFF_MFA_MAX_AGE_SECONDS (allauth's MFA re-authentication)."""

from __future__ import annotations

import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

from opiskeluhuolto.cases.tests.story import open_aino_case
from opiskeluhuolto.records.models import Disclosure
from opiskeluhuolto.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code() -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


def sign_in_with_totp(client, username):
    r = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert r["Location"] == reverse("mfa_authenticate")
    r = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert r.status_code == 302 and "_auth_user_id" in client.session


def disclosure(client, case):
    return client.post(
        reverse("records:disclose", args=[case.pk]),
        {
            "recipient": "Lastensuojelu",
            "data_items": "Tapaamisen päätökset",
            "basis": "statute",
            "statute_reference": "Lastensuojelulaki 417/2007 25 §",
        },
    )


def test_disclosure_needs_a_fresh_second_factor(client, cast, settings):
    settings.STAFF_MFA_MAX_AGE_SECONDS = 900
    case = open_aino_case(cast)
    TOTP.activate(cast.kuraattori, SECRET)
    with time_machine.travel(time.time(), tick=False) as traveller:
        sign_in_with_totp(client, "kaisa")
        # Confirmed at sign-in a moment ago: the disclosure goes through.
        traveller.shift(60)
        r = disclosure(client, case)
        assert r.status_code == 302 and r["Location"] == reverse("records:case", args=[case.pk])
        assert Disclosure.objects.count() == 1

        # Sixteen minutes later the code is asked again before anything is disclosed.
        traveller.shift(16 * 60)
        r = disclosure(client, case)
        target = reverse("records:disclose", args=[case.pk])
        assert r.status_code == 302
        assert r["Location"] == f"{reverse('mfa_reauthenticate')}?next={target.replace('/', '%2F')}"
        assert Disclosure.objects.count() == 1
        page = client.get(r["Location"])
        assert page.status_code == 200 and 'name="code"' in page.text
        # A wrong code discloses nothing.
        client.post(r["Location"], {"code": "000000"})
        assert Disclosure.objects.count() == 1
        # The right code resumes the suspended disclosure.
        traveller.shift(30)
        r = client.post(r["Location"], {"code": code()})
        assert r.status_code == 302 and r["Location"] == reverse("records:case", args=[case.pk])
        assert Disclosure.objects.count() == 2


def test_exports_need_a_fresh_second_factor(client, cast, settings):
    settings.STAFF_MFA_MAX_AGE_SECONDS = 600
    case = open_aino_case(cast)
    TOTP.activate(cast.kuraattori, SECRET)
    with time_machine.travel(time.time(), tick=False) as traveller:
        sign_in_with_totp(client, "kaisa")
        traveller.shift(11 * 60)
        for url in (
            reverse("records:print", args=[case.pk]),
            reverse("insights:export_csv") + "?chart=x",
            reverse("appointments:report_csv"),
        ):
            r = client.get(url)
            assert r.status_code == 302 and r["Location"].startswith(
                reverse("mfa_reauthenticate")
            ), url


def test_the_audit_trail_export_needs_a_fresh_second_factor(client, cast, settings):
    """The audit trail's CSV names people and students, as the other exports do."""
    settings.STAFF_MFA_MAX_AGE_SECONDS = 600
    TOTP.activate(cast.admin, SECRET)
    url = reverse("audit:export")
    with time_machine.travel(time.time(), tick=False) as traveller:
        sign_in_with_totp(client, cast.admin.username)
        traveller.shift(60)
        assert client.get(url).status_code == 200
        traveller.shift(11 * 60)
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("mfa_reauthenticate"))


def test_people_without_a_second_factor_are_not_stopped_here(client, cast):
    """Staff without TOTP are sent to set it up when it is required
    (RequireStaffMFAMiddleware); the re-confirmation only asks for a factor one has."""
    case = open_aino_case(cast)
    client.force_login(cast.kuraattori)
    r = disclosure(client, case)
    assert r.status_code == 302 and Disclosure.objects.count() == 1
