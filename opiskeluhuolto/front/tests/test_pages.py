import re

import pytest
from django.urls import reverse

from opiskeluhuolto.organisation.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_healthz_answers_with_database_status(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}
    assert client.post("/healthz").status_code == 405


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["database"] == "unreachable"


def test_finnish_is_the_default_language(client, cast):
    client.force_login(cast.student)
    body = client.get(reverse("front:home")).content.decode()
    assert '<html lang="fi">' in body
    assert "Tarvitsetko juttuseuraa?" in body


def test_language_switch_sets_swedish(client, cast):
    client.force_login(cast.student)
    r = client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert r.status_code == 302
    body = client.get(reverse("front:home")).content.decode()
    assert '<html lang="sv">' in body and "Behöver du någon att prata med?" in body


@pytest.mark.parametrize(
    "member, shown, hidden",
    [
        ("student", "Tarvitsetko juttuseuraa?", "Roolisi"),
        ("guardian", "Ainon asiat", "Tarvitsetko juttuseuraa?"),
        ("admin", "Oppilaitokset ja lukuvuosikalenterit", "Ainon asiat"),
        ("supervisor", "Omat ryhmäni", "Oppilaitokset ja lukuvuosikalenterit"),
        ("kuraattori", "Roolisi", "Omat ryhmäni"),
    ],
)
def test_home_page_per_role(client, cast, member, shown, hidden):
    client.force_login(cast.member(member))
    body = client.get(reverse("front:home"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert shown in body
    assert hidden not in body


def test_navigation_follows_roles(client, cast):
    client.force_login(cast.student)
    body = client.get(reverse("front:home")).content.decode()
    assert reverse("organisation:students") not in body
    client.force_login(cast.admin)
    body = client.get(reverse("front:home")).content.decode()
    assert reverse("organisation:students") in body and reverse("admin:index") in body


def test_navigation_marks_the_page_it_is_on(client, cast):
    client.force_login(cast.kuraattori)
    work, home = reverse("appointments:work"), reverse("front:home")
    body = client.get(work).content.decode()
    assert f'<a href="{work}" aria-current="page">Pyynnöt</a>' in body
    assert f'<a href="{home}">Etusivu</a>' in body
    body = client.get(home).content.decode()
    assert f'<a href="{work}">Pyynnöt</a>' in body
    assert f'<a href="{home}" aria-current="page">Etusivu</a>' in body
    body = client.get(reverse("front:accessibility")).content.decode()
    assert f'<a href="{work}">Pyynnöt</a>' in body and 'aria-current="page"' not in body


def test_navigation_is_in_the_language_of_the_request(client, cast):
    """The bar is kept once rendered: a Finnish one is never shown in Swedish."""
    client.force_login(cast.kuraattori)
    work = reverse("appointments:work")
    assert f'<a href="{work}">Pyynnöt</a>' in client.get("/").content.decode()
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'<a href="{work}">Begäranden</a>' in body


def test_navigation_follows_a_new_role_at_the_next_request(client, cast):
    client.force_login(cast.teacher)
    assert reverse("appointments:work") not in client.get("/").content.decode()
    RoleAssignment.objects.create(
        user=cast.teacher,
        role=Role.SOCIAL_WORKER,
        provider=cast.provider,
        institution=cast.lukio,
        valid_from=cast.today,
    )
    assert reverse("appointments:work") in client.get("/").content.decode()


def test_unknown_url_and_forbidden_object_give_the_same_404(client, cast):
    client.force_login(cast.teacher)
    unknown = client.get("/ei-ole-olemassa/")
    forbidden = client.get(reverse("organisation:student", kwargs={"pk": cast.eero.pk}))
    missing = client.get(reverse("organisation:student", kwargs={"pk": 999999}))
    assert unknown.status_code == forbidden.status_code == missing.status_code == 404

    def page(response):
        # The CSRF token is masked differently in every response; the language form
        # returns to the requested address.
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return re.sub(r'name="next" type="hidden" value="[^"]+"', "", body)

    assert page(forbidden) == page(missing) == page(unknown)


def test_favicon_sets_no_csrf_cookie(client):
    """The icon request a browser makes for a JSON or PDF page, sent without cookies,
    must not set a new CSRF cookie: during a sign-in it would replace the one the form's
    token belongs to (a 403 seen in the browser tests)."""
    r = client.get("/favicon.ico")
    assert r.status_code == 301
    assert r.headers["Location"].endswith("favicon.svg")
    assert "csrftoken" not in r.cookies
    # The 404 page, which the icon request used to get, does set one.
    assert "csrftoken" in client.get("/ei-ole-olemassa/").cookies


def test_csp_header_is_strict(client):
    r = client.get("/healthz")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_admin_is_for_provider_admins_only(client, cast):
    client.force_login(cast.rehtori)
    assert client.get("/admin/").status_code == 302  # to the admin login: not staff
    client.force_login(cast.admin)
    assert client.get("/admin/").status_code == 200
