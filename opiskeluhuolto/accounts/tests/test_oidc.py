"""Sign-in with OpenID Connect and strong identification, against a real provider.

The provider (oidc-provider-mock, authlib underneath) runs in a second process on
loopback; allauth does the whole authorization-code flow with it: discovery, the
authorisation request, the code exchange, the ID token checked against the provider's
keys. Only the person's click on the provider's page is a plain POST.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access.identification import SESSION_KEY
from opiskeluhuolto.cases.tests.story import meeting, open_aino_case
from opiskeluhuolto.testing import oidc

pytestmark = pytest.mark.django_db

AINO_SUB = "aino-strong"


@pytest.fixture(scope="module")
def provider_url():
    with oidc.provider() as url:
        yield url


@pytest.fixture
def oidc_settings(settings, provider_url):
    settings.USE_STRONG_ID = True
    settings.REQUIRE_STRONG_ID = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                oidc.app_config("mpassid", "MPASSid", provider_url),
                oidc.app_config(
                    "suomifi",
                    "Suomi.fi-tunnistus",
                    provider_url,
                    auth_params={"acr_values": " ".join(settings.STRONG_ID_ACR_VALUES)},
                ),
            ],
        }
    }
    return settings


@pytest.fixture
def case(cast):
    case = open_aino_case(cast)
    meeting(case, cast.kuraattori)
    return case


def sign_in(client: Client, provider_id: str, sub: str, next_url: str = ""):
    """The whole flow: app → provider → (person picks `sub`) → app. Returns the app's
    last answer and the authorisation request the provider got."""
    data = {"process": "login", **({"next": next_url} if next_url else {})}
    r = client.post(reverse("openid_connect_login", kwargs={"provider_id": provider_id}), data)
    assert r.status_code == 302, r
    authorize = r["Location"]
    at_provider = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}"), parse_qs(urlsplit(authorize).query)


def strong_claims(cast, acr=oidc.SUOMIFI_LOA3) -> dict:
    return {
        "acr": acr,
        "urn:oid:1.2.246.21": cast.aino.hetu,
        "given_name": "Aino",
        "family_name": "Opiskelija",
    }


def test_sign_in_maps_the_identity_code_to_the_student(client, cast, oidc_settings, provider_url):
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast))
    r, asked = sign_in(client, "suomifi", AINO_SUB)
    assert r.status_code == 302 and r["Location"] == reverse("front:home")
    assert client.session["_auth_user_id"] == str(cast.student.pk)
    # The identity is linked: the next sign-in needs no matching.
    assert SocialAccount.objects.get(provider="suomifi", uid=AINO_SUB).user == cast.student
    # The strong level was asked for, and what the provider said is in the session.
    assert asked["acr_values"] == [" ".join(oidc_settings.STRONG_ID_ACR_VALUES)]
    assert client.session[SESSION_KEY]["acr"] == oidc.SUOMIFI_LOA3


def test_sign_in_keeps_no_identity_code_or_name_of_the_claims(
    client, cast, oidc_settings, provider_url
):
    """The claims are read once at sign-in; the account keeps only who issued the
    identity, its subject and its level (docs/dpia.md, R9), on every sign-in."""
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast))
    for _ in range(2):  # linking the identity, then signing in with it again
        sign_in(client, "suomifi", AINO_SUB)
        assert client.session[SESSION_KEY]["acr"] == oidc.SUOMIFI_LOA3
        stored = SocialAccount.objects.get(provider="suomifi", uid=AINO_SUB).extra_data
        assert cast.aino.hetu not in str(stored) and "Opiskelija" not in str(stored)
        assert stored["id_token"]["acr"] == oidc.SUOMIFI_LOA3
        assert stored["id_token"]["sub"] == AINO_SUB
        assert set(stored) == {"id_token"}
        client.post(reverse("account_logout"))


def test_sign_in_maps_the_learner_id_through_mpassid(client, cast, oidc_settings, provider_url):
    cast.aino.oppijanumero = "1.2.246.562.24.10000000008"
    cast.aino.save()
    oidc.set_person(provider_url, "mpass-aino", {"urn:oid:1.2.246.562.24": cast.aino.oppijanumero})
    r, asked = sign_in(client, "mpassid", "mpass-aino")
    assert client.session["_auth_user_id"] == str(cast.student.pk)
    assert "acr_values" not in asked  # MPASSid is not asked for a strong level


def test_unknown_person_is_refused(client, cast, oidc_settings, provider_url):
    oidc.set_person(
        provider_url, "stranger", {"acr": oidc.SUOMIFI_LOA3, "urn:oid:1.2.246.21": "010101A123N"}
    )
    r, _ = sign_in(client, "suomifi", "stranger")
    assert "_auth_user_id" not in client.session
    assert r.status_code == 200 and "account/signup_closed.html" in [t.name for t in r.templates]
    assert not SocialAccount.objects.filter(uid="stranger").exists()


def test_a_deactivated_students_identity_is_refused_and_not_stored(
    client, cast, oidc_settings, provider_url
):
    cast.student.is_active = False
    cast.student.save()
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast))
    sign_in(client, "suomifi", AINO_SUB)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(uid=AINO_SUB).exists()


def test_an_unverified_email_does_not_match(client, cast, oidc_settings, provider_url):
    cast.student.email = "aino@example.fi"
    cast.student.save()
    oidc.set_person(provider_url, "mail-only", {"email": "aino@example.fi"})
    sign_in(client, "mpassid", "mail-only")
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session_and_its_identification(
    client, cast, case, oidc_settings, provider_url
):
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast))
    sign_in(client, "suomifi", AINO_SUB)
    assert client.get(reverse("records:case", args=[case.pk])).status_code == 200
    r = client.post(reverse("account_logout"))
    assert r.status_code == 302
    assert "_auth_user_id" not in client.session and SESSION_KEY not in client.session
    r = client.get(reverse("records:case", args=[case.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("account_login"))


def test_password_session_steps_up_before_the_record(
    client, cast, case, oidc_settings, provider_url
):
    from opiskeluhuolto.testing.cast import PASSWORD

    client.post(reverse("account_login"), {"login": "aino", "password": PASSWORD})
    record = reverse("records:case", args=[case.pk])
    r = client.get(record, HTTP_ACCEPT_LANGUAGE="fi")
    step_up = reverse("identification:strong")
    assert r.status_code == 302 and r["Location"] == f"{step_up}?next={record.replace('/', '%2F')}"
    page = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="fi")
    assert "Vahva tunnistautuminen" in page.text and "Suomi.fi-tunnistus" in page.text
    assert "Tapaaminen" not in page.text  # nothing of the record yet
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "suomifi"})
    assert login_url in page.text

    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast))
    r, _ = sign_in(client, "suomifi", AINO_SUB, next_url=record)
    assert r.status_code == 302 and r["Location"] == record
    page = client.get(record)
    assert page.status_code == 200 and case.record.subject in page.text
    assert client.get(reverse("records:pdf", args=[case.pk])).status_code == 200
    assert client.get(reverse("records:my_log")).status_code == 200


def test_a_weak_level_is_refused(client, cast, case, oidc_settings, provider_url):
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast, acr=oidc.WEAK_ACR))
    sign_in(client, "suomifi", AINO_SUB)
    assert client.session["_auth_user_id"] == str(cast.student.pk)
    for url in (
        reverse("records:case", args=[case.pk]),
        reverse("records:pdf", args=[case.pk]),
        reverse("records:my_log"),
        reverse("records:rectify", args=[case.pk]),
    ):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))
    page = client.get(reverse("identification:strong"), HTTP_ACCEPT_LANGUAGE="fi")
    assert "ei ollut riittävän vahva" in page.text


def test_a_strong_acr_from_mpassid_does_not_count(client, cast, case, oidc_settings, provider_url):
    """LAW.md L-306-4: the level is believed only from a strong identification provider.
    A school's own provider (MPASSid) saying `loa3` leaves the session weak."""
    cast.aino.oppijanumero = "1.2.246.562.24.10000000008"
    cast.aino.save()
    claims = {"acr": oidc.SUOMIFI_LOA3, "urn:oid:1.2.246.562.24": cast.aino.oppijanumero}
    oidc.set_person(provider_url, "mpass-loud", claims)
    sign_in(client, "mpassid", "mpass-loud")
    assert client.session["_auth_user_id"] == str(cast.student.pk)
    assert client.session[SESSION_KEY]["provider"] == "mpassid"
    assert client.session[SESSION_KEY]["acr"] == oidc.SUOMIFI_LOA3  # stored as it was said
    for url in (reverse("records:case", args=[case.pk]), reverse("records:my_log")):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))
    r = client.get(reverse("api:records-case", kwargs={"case_id": case.pk}))
    assert r.status_code == 403
    page = client.get(reverse("identification:strong"), HTTP_ACCEPT_LANGUAGE="fi")
    assert "ei ole vahvan tunnistautumisen palvelu" in page.text
    assert "ei ollut riittävän vahva" not in page.text
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "suomifi"})
    assert login_url in page.text  # the way on is the strong provider


def test_only_the_listed_providers_count(client, cast, case, oidc_settings, provider_url):
    """A provider added later counts only once the controller lists it in
    STRONG_ID_PROVIDERS; the strong provider's `acr` counts."""
    apps = oidc_settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    oidc_settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [*apps, oidc.app_config("broker2", "Broker", provider_url)],
        }
    }
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast))
    record = reverse("records:case", args=[case.pk])

    sign_in(client, "broker2", AINO_SUB)
    assert client.session["_auth_user_id"] == str(cast.student.pk)
    assert client.get(record).status_code == 302

    oidc_settings.STRONG_ID_PROVIDERS = ["suomifi", "broker2"]
    assert client.get(record).status_code == 200

    client.post(reverse("account_logout"))
    oidc_settings.STRONG_ID_PROVIDERS = ["suomifi"]
    sign_in(client, "suomifi", AINO_SUB)
    assert client.get(record).status_code == 200


def test_no_acr_at_all_is_refused(client, cast, case, oidc_settings, provider_url):
    claims = strong_claims(cast)
    del claims["acr"]
    oidc.set_person(provider_url, AINO_SUB, claims)
    sign_in(client, "suomifi", AINO_SUB)
    r = client.get(reverse("records:case", args=[case.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))


def test_api_answers_403_with_a_code(client, cast, case, oidc_settings):
    client.force_login(cast.student)
    r = client.get(reverse("api:records-case", kwargs={"case_id": case.pk}))
    assert r.status_code == 403
    assert r.json()["code"] == "strong_identification_required"
    assert r.json()["step_up_url"] == reverse("identification:strong")


def test_api_reads_after_strong_identification(client, cast, case, oidc_settings, provider_url):
    oidc.set_person(provider_url, AINO_SUB, strong_claims(cast, acr=oidc.SUOMIFI_LOA2))
    sign_in(client, "suomifi", AINO_SUB)
    r = client.get(reverse("api:records-case", kwargs={"case_id": case.pk}))
    assert r.status_code == 200 and r.json()["case_id"] == case.pk


def test_guardian_is_gated_too(client, cast, case, oidc_settings):
    client.force_login(cast.guardian)
    r = client.get(reverse("records:case", args=[case.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))


def test_staff_are_not_gated(client, cast, case, oidc_settings):
    client.force_login(cast.kuraattori)
    assert client.get(reverse("records:case", args=[case.pk])).status_code == 200


def test_step_up_page_without_a_provider_says_so(client, cast, settings):
    settings.REQUIRE_STRONG_ID = True
    settings.USE_STRONG_ID = False
    client.force_login(cast.student)
    page = client.get(reverse("identification:strong"), HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 200 and "ei ole vielä käytössä" in page.text


def test_step_up_page_ignores_a_foreign_next(client, cast, oidc_settings):
    client.force_login(cast.student)
    page = client.get(reverse("identification:strong") + "?next=https://evil.example/")
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "suomifi"})
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    assert action == f"{login_url}?process=login&amp;next=%2F"


def _mpassid_with_totp(client, cast, provider_url, student, user):
    """MPASSid sign-in, then allauth's second-factor step."""
    import time

    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    student.oppijanumero = "1.2.246.562.24.10000000008"
    student.save()
    oidc.set_person(provider_url, "mpass-x", {"urn:oid:1.2.246.562.24": student.oppijanumero})
    r, _ = sign_in(client, "mpassid", "mpass-x")
    assert r["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    r = client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_minor_alternative_mpassid_with_second_factor(
    client, cast, case, oidc_settings, provider_url
):
    oidc_settings.STRONG_ID_MINOR_ALTERNATIVE = True
    _mpassid_with_totp(client, cast, provider_url, cast.aino, cast.student)
    assert client.get(reverse("records:case", args=[case.pk])).status_code == 200


def test_minor_alternative_is_off_by_default(client, cast, case, oidc_settings, provider_url):
    _mpassid_with_totp(client, cast, provider_url, cast.aino, cast.student)
    r = client.get(reverse("records:case", args=[case.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))


def test_minor_alternative_is_not_for_adults(client, cast, oidc_settings, provider_url):
    oidc_settings.STRONG_ID_MINOR_ALTERNATIVE = True
    _mpassid_with_totp(client, cast, provider_url, cast.eero, cast.adult)
    r = client.get(reverse("records:my_log"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))


def test_minor_alternative_needs_the_second_factor(client, cast, case, oidc_settings, provider_url):
    oidc_settings.STRONG_ID_MINOR_ALTERNATIVE = True
    cast.aino.oppijanumero = "1.2.246.562.24.10000000008"
    cast.aino.save()
    oidc.set_person(provider_url, "mpass-y", {"urn:oid:1.2.246.562.24": cast.aino.oppijanumero})
    sign_in(client, "mpassid", "mpass-y")
    r = client.get(reverse("records:case", args=[case.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("identification:strong"))


def test_step_up_page_offers_mpassid_to_minors_when_the_alternative_is_on(
    client, cast, oidc_settings
):
    oidc_settings.STRONG_ID_MINOR_ALTERNATIVE = True
    oidc_settings.USE_OIDC = True
    mpassid = reverse("openid_connect_login", kwargs={"provider_id": "mpassid"})
    client.force_login(cast.student)
    page = client.get(reverse("identification:strong"), HTTP_ACCEPT_LANGUAGE="fi")
    assert "Kirjaudu MPASSidillä" in page.text and mpassid in page.text
    client.force_login(cast.adult)
    page = client.get(reverse("identification:strong"), HTTP_ACCEPT_LANGUAGE="fi")
    assert mpassid not in page.text


def test_the_register_gate_fails_closed_and_logs_nothing(cast, case, settings):
    """records.reading refuses a student's read without a strongly identified request,
    before anything is loaded or logged."""
    from opiskeluhuolto.access.identification import StrongIdentificationRequired
    from opiskeluhuolto.records.models import AccessLogEntry
    from opiskeluhuolto.records.reading import read_record

    settings.REQUIRE_STRONG_ID = True
    before = AccessLogEntry.objects.count()
    with pytest.raises(StrongIdentificationRequired):
        read_record(cast.student, case, purpose="test")
    assert AccessLogEntry.objects.count() == before
    assert read_record(cast.kuraattori, case, purpose="test") is not None
