"""The case page moved to the register in round two; old links still lead there."""

from django.test import Client


def test_an_old_case_link_redirects_permanently_to_the_register_case_page(db):
    response = Client().get("/cases/41/")
    assert response.status_code == 301
    assert response["Location"] == "/records/cases/41/"


def test_the_redirect_decides_nothing_the_case_page_does(db):
    response = Client().get("/cases/41/", follow=True)
    # Anonymous: the register's case page sends the visitor to sign in.
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
