"""Strong identification in a real browser (LAW.md L-306-4): Aino signed in with her
password opens her matter, is asked to identify strongly, goes to the identity provider
(a real OpenID Connect provider on loopback standing in for Suomi.fi-tunnistus), comes
back at a strong level and sees her record. A weak level is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from opiskeluhuolto.testing import oidc


@pytest.fixture(scope="module")
def provider_url():
    with oidc.provider() as url:
        yield url


@pytest.fixture
def strong_id(settings, provider_url):
    settings.USE_STRONG_ID = True
    settings.REQUIRE_STRONG_ID = True
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], provider_url],
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                oidc.app_config(
                    "suomifi",
                    "Suomi.fi-tunnistus",
                    provider_url,
                    auth_params={"acr_values": " ".join(settings.STRONG_ID_ACR_VALUES)},
                )
            ],
        }
    }
    return provider_url


@pytest.mark.parametrize("width", [375, 1280])
def test_student_steps_up_before_opening_her_record(
    demo, strong_id, live_server, sign_in, page, screenshot, axe, width
):
    from opiskeluhuolto.cases.models import Case
    from opiskeluhuolto.organisation.models import Student

    page.set_viewport_size({"width": width, "height": 800})
    aino = Student.objects.get(user__username="opiskelija")
    case = Case.objects.filter(student=aino).order_by("pk").first()
    claims = {"urn:oid:1.2.246.21": aino.hetu, "given_name": aino.first_name}
    oidc.set_person(strong_id, "aino-weak", {**claims, "acr": oidc.WEAK_ACR})
    oidc.set_person(strong_id, "aino-strong", {**claims, "acr": oidc.SUOMIFI_LOA3})

    sign_in("opiskelija")
    page.goto(f"{live_server.url}/records/cases/{case.pk}/")
    expect(page.locator("h1")).to_have_text("Vahva tunnistautuminen")
    expect(page.locator("main")).to_contain_text("Laki edellyttää")
    assert axe() == []
    screenshot(f"strongid-1-step-up-{width}")

    # A weak level comes back refused, and the record stays closed.
    page.get_by_role("button", name="Tunnistaudu: Suomi.fi-tunnistus").click()
    page.wait_for_url(f"{strong_id}/oauth2/authorize*")
    screenshot(f"strongid-2-provider-{width}")
    page.locator("#subject-input").fill("aino-weak")
    page.locator("#subject-input").press("Enter")
    expect(page.locator("h1")).to_have_text("Vahva tunnistautuminen")
    expect(page.get_by_role("alert")).to_contain_text("ei ollut riittävän vahva")
    screenshot(f"strongid-3-weak-refused-{width}")

    # Strong: back at the record.
    page.get_by_role("button", name="Tunnistaudu: Suomi.fi-tunnistus").click()
    page.locator("#subject-input").fill("aino-strong")
    page.locator("#subject-input").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/records/cases/{case.pk}/")
    # A student reads a short reassurance, not the legal mark meant for the staff.
    expect(page.locator("main")).to_contain_text("Tämä on luottamuksellista")
    expect(page.locator("main")).not_to_contain_text("SALASSA PIDETTÄVÄ")
    assert axe() == []
    screenshot(f"strongid-4-record-{width}")
