"""Forget what allauth stored of the providers' claims beyond what a sign-in's audit needs
(docs/dpia.md, R9): a Suomi.fi identity code, names, e-mail addresses and learner ids
were kept in `SocialAccount.extra_data`, unencrypted, from every sign-in. From now on the
sign-in keeps only these (`accounts.identification.KEPT_CLAIMS`, copied here as it stands
so the migration does not change with the code)."""

from django.db import migrations

KEPT = ("iss", "sub", "aud", "acr", "amr", "auth_time")


def keep_only_the_sign_in_claims(apps, schema_editor):
    SocialAccount = apps.get_model("socialaccount", "SocialAccount")
    for account in SocialAccount.objects.only("pk", "extra_data").iterator():
        token = (account.extra_data or {}).get("id_token")
        token = token if isinstance(token, dict) else {}
        kept = {"id_token": {k: token[k] for k in KEPT if k in token}}
        if account.extra_data != kept:
            SocialAccount.objects.filter(pk=account.pk).update(extra_data=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
    ]

    operations = [
        migrations.RunPython(keep_only_the_sign_in_claims, migrations.RunPython.noop, elidable=False)
    ]
