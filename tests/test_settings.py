"""Production refuses to start without its secrets; the defaults need no configuration."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE="


def load(env: dict) -> subprocess.CompletedProcess:
    code = "import opiskeluhuolto.settings as s; print(s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**BASE, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "s" * 50,
    "ALLOWED_HOSTS": "oh.example.fi",
    "FIELD_ENCRYPTION_KEYS": KEY,
    "SITE_URL": "https://oh.example.fi",
}


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "SITE_URL"]
)
def test_production_refuses_to_start_without(missing):
    env = dict(PRODUCTION)
    del env[missing]
    result = load(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_starts_with_everything_set():
    result = load({**PRODUCTION, "DATABASE_URL": "postgres://u:p@db.example.fi:5432/oh"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_default_run_is_sqlite_with_wal():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import opiskeluhuolto.settings as s; d=s.DATABASES['default']; "
            "print(d['ENGINE'], 'WAL' in d['OPTIONS']['init_command'], d['OPTIONS']['transaction_mode'])",
        ],
        env=BASE,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )  # noqa: S603
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "IMMEDIATE"]


def test_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" * 5)
    code = "import opiskeluhuolto.settings as s; print(s.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,  # noqa: S603
        env={**BASE, "SECRET_KEY_FILE": str(secret)},
        check=True,
    )
    assert result.stdout.strip() == "from-a-file-" * 5


def test_malformed_boolean_is_an_error():
    result = load({"DEBUG": "perhaps"})
    assert "DEBUG must be a boolean" in result.stderr


def test_oidc_needs_its_settings_once_turned_on():
    result = load({"USE_OIDC": "true"})
    assert result.returncode != 0 and "USE_OIDC needs" in result.stderr


def test_oidc_configures_mpassid_with_pkce():
    code = (
        "import opiskeluhuolto.settings as s; p = s.SOCIALACCOUNT_PROVIDERS['openid_connect'];"
        "print(p['OAUTH_PKCE_ENABLED'], p['APPS'][0]['provider_id'], p['APPS'][0]['settings']['server_url'])"
    )
    env = {
        **BASE,
        "USE_OIDC": "true",
        "OIDC_SERVER_URL": "https://mpass-proxy-test.csc.fi",
        "OIDC_CLIENT_ID": "oh",
        "OIDC_CLIENT_SECRET": "s",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["True", "mpassid", "https://mpass-proxy-test.csc.fi"]


def _print(env: dict, expression: str) -> str:
    code = f"import opiskeluhuolto.settings as s; print({expression})"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**BASE, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return out.stdout.strip()


def test_strong_identification_is_required_in_production_by_default():
    assert _print(PRODUCTION, "s.REQUIRE_STRONG_ID") == "True"
    assert _print({}, "s.REQUIRE_STRONG_ID") == "False"


def test_strong_identification_provider_needs_its_settings():
    result = load({"USE_STRONG_ID": "true"})
    assert result.returncode != 0 and "USE_STRONG_ID needs" in result.stderr


def test_strong_identification_provider_asks_for_the_strong_levels():
    env = {
        "USE_STRONG_ID": "true",
        "STRONG_ID_SERVER_URL": "https://broker.example.fi",
        "STRONG_ID_CLIENT_ID": "oh",
        "STRONG_ID_CLIENT_SECRET": "s",
        "STRONG_ID_ACR_VALUES": "http://ftn.ficora.fi/2017/loa3",
        "STRONG_ID_ACCEPTED_ACR": "http://ftn.ficora.fi/2017/loa3, http://eidas.europa.eu/LoA/high",
    }
    app = "s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]"
    assert _print(env, f"{app}['provider_id'], {app}['name']") == "suomifi Suomi.fi-tunnistus"
    assert _print(env, f"{app}['settings']['auth_params']") == (
        "{'acr_values': 'http://ftn.ficora.fi/2017/loa3'}"
    )
    assert _print(env, "s.STRONG_ID_ACCEPTED_ACR") == (
        "['http://ftn.ficora.fi/2017/loa3', 'http://eidas.europa.eu/LoA/high']"
    )


def test_only_the_configured_providers_count_for_strong_identification():
    """LAW.md L-306-4: an `acr` is believed only from the providers the controller lists."""
    assert _print({}, "s.STRONG_ID_PROVIDERS") == "['suomifi']"
    assert _print({"STRONG_ID_PROVIDER_ID": "broker"}, "s.STRONG_ID_PROVIDERS") == "['broker']"
    env = {"STRONG_ID_PROVIDERS": "suomifi, broker2"}
    assert _print(env, "s.STRONG_ID_PROVIDERS") == "['suomifi', 'broker2']"
    result = load({"STRONG_ID_PROVIDERS": "suomifi,mpassid"})
    assert result.returncode != 0 and "STRONG_ID_PROVIDERS must not name" in result.stderr


def test_identity_providers_may_receive_the_sign_in_form():
    """The sign-in form posts to allauth, which redirects to the provider: CSP form-action
    must allow the provider's origin or the browser stops there."""
    env = {
        "USE_OIDC": "true",
        "OIDC_SERVER_URL": "https://mpass-proxy-test.csc.fi/some/path",
        "OIDC_CLIENT_ID": "oh",
        "OIDC_CLIENT_SECRET": "s",
    }
    assert _print(env, "' '.join(map(str, s.SECURE_CSP['form-action']))") == (
        "'self' https://mpass-proxy-test.csc.fi"
    )
