"""Migration 0002 forgets the claims allauth stored before sign-ins kept only a few."""

import importlib

import pytest
from allauth.socialaccount.models import SocialAccount
from django.apps import apps

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "opiskeluhuolto.accounts.migrations.0002_keep_only_the_sign_in_claims"
)


def test_stored_claims_are_cut_to_the_sign_in_audit(cast):
    full = {
        "userinfo": {"urn:oid:1.2.246.21": "010106A9012", "given_name": "Aino"},
        "id_token": {
            "iss": "https://tunnistus.example",
            "sub": "s-1",
            "acr": "http://ftn.ficora.fi/2017/loa3",
            "urn:oid:1.2.246.21": "010106A9012",
            "family_name": "Opiskelija",
        },
    }
    old = SocialAccount.objects.create(user=cast.student, provider="suomifi", uid="s-1")
    odd = SocialAccount.objects.create(user=cast.guardian, provider="suomifi", uid="s-2")
    # As rows were stored before sign-ins kept only a few claims (an UPDATE sends no
    # pre_save signal).
    SocialAccount.objects.filter(pk=old.pk).update(extra_data=full)
    SocialAccount.objects.filter(pk=odd.pk).update(extra_data={"id_token": "x.y.z"})
    migration.keep_only_the_sign_in_claims(apps, None)
    old.refresh_from_db()
    odd.refresh_from_db()
    assert old.extra_data == {
        "id_token": {
            "iss": "https://tunnistus.example",
            "sub": "s-1",
            "acr": "http://ftn.ficora.fi/2017/loa3",
        }
    }
    assert odd.extra_data == {"id_token": {}}


def test_any_save_of_a_social_account_keeps_only_the_sign_in_claims(cast):
    """allauth saves the account before the sign-in completes: a sign-in abandoned after
    that (a second factor never given) must not leave the claims behind either."""
    account = SocialAccount.objects.create(
        user=cast.student,
        provider="suomifi",
        uid="s-3",
        extra_data={"userinfo": {"email": "a@example.fi"}, "id_token": {"sub": "s-3", "name": "A"}},
    )
    account.refresh_from_db()
    assert account.extra_data == {"id_token": {"sub": "s-3"}}
