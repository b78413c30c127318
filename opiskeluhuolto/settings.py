"""Settings for Opiskeluhuolto: one module, read from the environment.

The default run needs no configuration (SQLite next to the code, DEBUG on,
console e-mail). Production (DEBUG off) refuses to start without SECRET_KEY
and ALLOWED_HOSTS. Every variable is listed in README.md, "Configuration".
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def envsecret(name: str, default: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as e:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {e.strerror}") from None
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", "true")
TESTING = envbool("OH_TESTING", "false")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
# The public address, for links in e-mails sent by the task worker (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off (e.g. https://oh.example.fi)"
    )
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Key for the free-text content of the welfare register (Fernet keys,
# comma-separated, newest first: the first encrypts, all decrypt).
FIELD_ENCRYPTION_KEYS = [
    k.strip() for k in envsecret("FIELD_ENCRYPTION_KEYS").split(",") if k.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off")
    # A fixed development key so the demo database stays readable between runs.
    FIELD_ENCRYPTION_KEYS = ["ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE="]

INSTALLED_APPS = [
    # Our apps come first: their templates and translations take precedence over
    # the libraries' (e.g. "Save" is "Tallenna", not the admin's "Tallenna ja poistu").
    "opiskeluhuolto.accounts",
    "opiskeluhuolto.organisation",
    "opiskeluhuolto.audit",
    "opiskeluhuolto.access",
    "opiskeluhuolto.front",
    "opiskeluhuolto.api",
    "opiskeluhuolto.cases",
    "opiskeluhuolto.records",
    "opiskeluhuolto.appointments",
    "opiskeluhuolto.annualclock",
    "opiskeluhuolto.meetings",
    "opiskeluhuolto.imports",
    "opiskeluhuolto.insights",
    "opiskeluhuolto.surveys",
    "opiskeluhuolto.procedures",
    "opiskeluhuolto.incidents",
    "opiskeluhuolto.privacy",
    "opiskeluhuolto.announcements",
    "opiskeluhuolto.events",
    "opiskeluhuolto.spaces",
    "opiskeluhuolto.projects",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opiskeluhuolto.lib.confidential.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "opiskeluhuolto.lib.replica.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opiskeluhuolto.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "opiskeluhuolto.accounts.middleware.RequireStaffMFAMiddleware",
    "opiskeluhuolto.accounts.middleware.StrongIdentificationMiddleware",
]

ROOT_URLCONF = "opiskeluhuolto.urls"
WSGI_APPLICATION = "opiskeluhuolto.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opiskeluhuolto.front.context_processors.navigation",
            ],
            # `data_lang`, `phone` and `tel` in every template (lib/datatags.py).
            "builtins": ["opiskeluhuolto.lib.datatags"],
        },
    },
]

# Database: SQLite next to the code unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "opiskeluhuolto.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
# A streaming replica (a PostgreSQL hot standby of the primary) for the reads of dashboards,
# exports and statistics; writes never go there (lib/replica.py, README "Production").
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    # Fall back to the primary quickly when the replica does not answer.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["opiskeluhuolto.lib.replica.ReplicaRouter"]
#: How long the person who has just written reads from the primary only.
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "opiskeluhuolto"),
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Sign-in (django-allauth) ---
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "front:home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "opiskeluhuolto.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "opiskeluhuolto.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Failed sign-ins are limited so that guessing is slow but a school is never locked out
# (accounts/adapters.py): a whole school signs in from one shared address at 8 o'clock,
# and anyone can type a named kuraattori's user name. "key" is the account *at this
# address*: guessing one password from one address gets 5 tries per 5 minutes, and
# failures elsewhere do not lock the person out. The address limit only stops
# spraying many accounts; the account-wide limit, over all addresses, needs many
# addresses to reach and then only holds for 15 minutes.
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("LOGIN_ATTEMPT_RATE_LIMIT", "600/m/ip"),
    "login_failed": os.environ.get("LOGIN_RATE_LIMIT", "300/5m/ip,5/5m/key"),
    "login_failed_account": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "60/15m/key"),
}
# Behind the TLS proxy every request comes from the proxy's address: trust its
# X-Forwarded-For, or every sign-in in the country shares one address limit.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Opiskeluhuolto"
# TOTP is required for every staff role that can reach welfare data. The demo
# turns this off (DEMO_RELAX_MFA) and says so when it starts; production
# keeps it on unless explicitly relaxed.
REQUIRE_STAFF_MFA = envbool("REQUIRE_STAFF_MFA", "false" if DEBUG else "true")

# OpenID Connect (MPASSid, organisational identity providers): off by default.
USE_OIDC = envbool("USE_OIDC", "false")
SOCIALACCOUNT_PROVIDERS: dict = {}
OIDC_APPS: list[dict] = []
OIDC_PROVIDER_ID = os.environ.get("OIDC_PROVIDER_ID", "mpassid")
if USE_OIDC:
    oidc_url = os.environ.get("OIDC_SERVER_URL", "")
    oidc_client = os.environ.get("OIDC_CLIENT_ID", "")
    oidc_secret = envsecret("OIDC_CLIENT_SECRET")
    if not (oidc_url and oidc_client and oidc_secret):
        raise ImproperlyConfigured(
            "USE_OIDC needs OIDC_SERVER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"
        )
    OIDC_APPS.append(
        {
            "provider_id": OIDC_PROVIDER_ID,
            "name": os.environ.get("OIDC_PROVIDER_NAME", "MPASSid"),
            "client_id": oidc_client,
            "secret": oidc_secret,
            "settings": {"server_url": oidc_url},
        }
    )

# Strong identification (LAW.md L-306-4, L-IF-4): students and guardians see
# confidential content only in a session identified strongly, that is, signed in
# through an OpenID Connect provider listed in STRONG_ID_PROVIDERS (Suomi.fi-tunnistus
# or an identity broker for strong e-ID) whose ID token's `acr` is one of
# STRONG_ID_ACCEPTED_ACR. On by default
# in production; docs/welfare-register.md, "Strong identification".
REQUIRE_STRONG_ID = envbool("REQUIRE_STRONG_ID", "false" if DEBUG else "true")
USE_STRONG_ID = envbool("USE_STRONG_ID", "false")
STRONG_ID_PROVIDER_ID = os.environ.get("STRONG_ID_PROVIDER_ID", "suomifi")
# Asked for in the authorisation request (`acr_values`), space-separated.
STRONG_ID_ACR_VALUES = os.environ.get(
    "STRONG_ID_ACR_VALUES", "http://ftn.ficora.fi/2017/loa3 http://ftn.ficora.fi/2017/loa2"
).split()
# The `acr` values that count as strong identification, comma-separated.
STRONG_ID_ACCEPTED_ACR = [
    v.strip()
    for v in os.environ.get(
        "STRONG_ID_ACCEPTED_ACR",
        "http://ftn.ficora.fi/2017/loa2,http://ftn.ficora.fi/2017/loa3,"
        "http://eidas.europa.eu/LoA/substantial,http://eidas.europa.eu/LoA/high",
    ).split(",")
    if v.strip()
]
# The providers whose `acr` is believed (LAW.md L-306-4): only those the register
# controller has configured for strong identification, comma-separated provider ids.
# An `acr` from any other provider (MPASSid, a school's own provider, one added later)
# never makes a session strong, whatever level it claims.
STRONG_ID_PROVIDERS = [
    v.strip()
    for v in os.environ.get("STRONG_ID_PROVIDERS", STRONG_ID_PROVIDER_ID).split(",")
    if v.strip()
]
if OIDC_PROVIDER_ID in STRONG_ID_PROVIDERS:
    raise ImproperlyConfigured(
        "STRONG_ID_PROVIDERS must not name OIDC_PROVIDER_ID: MPASSid is not strong "
        "identification (STRONG_ID_MINOR_ALTERNATIVE is the documented exception)"
    )
if USE_STRONG_ID:
    strong_url = os.environ.get("STRONG_ID_SERVER_URL", "")
    strong_client = os.environ.get("STRONG_ID_CLIENT_ID", "")
    strong_secret = envsecret("STRONG_ID_CLIENT_SECRET")
    if not (strong_url and strong_client and strong_secret):
        raise ImproperlyConfigured(
            "USE_STRONG_ID needs STRONG_ID_SERVER_URL, STRONG_ID_CLIENT_ID and "
            "STRONG_ID_CLIENT_SECRET"
        )
    if STRONG_ID_PROVIDER_ID == OIDC_PROVIDER_ID:
        raise ImproperlyConfigured("STRONG_ID_PROVIDER_ID must differ from OIDC_PROVIDER_ID")
    OIDC_APPS.append(
        {
            "provider_id": STRONG_ID_PROVIDER_ID,
            "name": os.environ.get("STRONG_ID_PROVIDER_NAME", "Suomi.fi-tunnistus"),
            "client_id": strong_client,
            "secret": strong_secret,
            "settings": {
                "server_url": strong_url,
                "auth_params": {"acr_values": " ".join(STRONG_ID_ACR_VALUES)},
            },
        }
    )
# The "equally secure" method for minors without a strong e-ID (LAW.md open item 7):
# a student under 18 who signed in through OIDC_PROVIDER_ID (MPASSid) and confirmed
# a second factor (TOTP) in the same session. Off unless the provider documents its
# weighty reason and turns it on.
STRONG_ID_MINOR_ALTERNATIVE = envbool("STRONG_ID_MINOR_ALTERNATIVE", "false")
# Which claims identify the person at sign-in (accounts.adapters): the personal
# identity code and the national learner id (oppijanumero) of a student.
OIDC_HETU_CLAIM = os.environ.get("OIDC_HETU_CLAIM", "urn:oid:1.2.246.21")
OIDC_LEARNER_ID_CLAIM = os.environ.get("OIDC_LEARNER_ID_CLAIM", "urn:oid:1.2.246.562.24")
if OIDC_APPS:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {"OAUTH_PKCE_ENABLED": True, "APPS": OIDC_APPS}
# Staff confirm their second factor again before a disclosure or an export when
# they last confirmed it longer ago than this (seconds).
STAFF_MFA_MAX_AGE_SECONDS = envint("STAFF_MFA_MAX_AGE_SECONDS", "900")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False

# Sessions expire after idle time and never outlive the browser. The expiry moves
# forward at most once a minute (accounts.middleware.IdleSessionMiddleware), not with a
# session write on every request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", "1800")
SESSION_SAVE_EVERY_REQUEST = False
# With a cache shared by every server process (Redis), `...sessions.backends.cached_db`
# reads the session from the cache instead of the database on each request. Never with
# the per-process local-memory cache: a sign-out in one process would not reach another.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security headers ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Signing in through OpenID Connect posts a form to allauth, which redirects to the
    # identity provider; browsers check that redirect against form-action too.
    "form-action": [
        CSP.SELF,
        *sorted(
            {
                "{0.scheme}://{0.netloc}".format(urlsplit(a["settings"]["server_url"]))
                for a in OIDC_APPS
            }
        ),
    ],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The browsers' preload list binds the whole domain and its subdomains to HTTPS for
    # months even after the header is gone: a decision for the domain's owner, not a
    # default of this application. Hence `manage.py check --deploy` (run by CI) is told
    # not to warn about it (security.W021) unless the operator turns preloading on.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Languages: Finnish first, Swedish and English complete ---
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (procedure attachments): never served as static files; each download goes
# through its view and the access rules.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
#: The largest attachment of a procedure version, in megabytes, and the file types allowed.
PROCEDURE_ATTACHMENT_MAX_MB = envint("PROCEDURE_ATTACHMENT_MAX_MB", "10")
PROCEDURE_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
#: Anonymous incident reports (a student's, without signing in): at most this many from one
#: client in the window; the client is known only to the cache, never to the incident tables.
INCIDENT_ANONYMOUS_RATE = envint("INCIDENT_ANONYMOUS_RATE", "5")
INCIDENT_ANONYMOUS_WINDOW_SECONDS = envint("INCIDENT_ANONYMOUS_WINDOW_SECONDS", "3600")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail: console by default, SMTP in production ---
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", "25"),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": envsecret("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", "false"),
            }
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            # One file per message (a staging server, the task worker's test).
            else {"file_path": os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "var" / "mail")}
            if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "opiskeluhuolto@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: no personal data. Requests are logged without query strings
# and with opaque ids only; the scrub filter masks identity codes and e-mail
# addresses in anything that does reach a log line. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "opiskeluhuolto.lib.logscrub.ScrubPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Demo mode: set by the demo command; shown as a banner on every page.
DEMO_MODE = envbool("DEMO_MODE", "false")

NINJA_PAGINATION_PER_PAGE = 50

# Attendance imports read the file in blocks of about this many bytes (whole lines) and
# hold the checked marks by student range in memory up to ATTENDANCE_IMPORT_MEMORY_BYTES
# (beyond it they go to temporary files), so memory is bounded whatever the file's size
# (imports/blocks.py); they are written a part (a student range, about
# ATTENDANCE_IMPORT_PART_BYTES of the file) at a time, all in one transaction.
ATTENDANCE_IMPORT_BLOCK_BYTES = envint("ATTENDANCE_IMPORT_BLOCK_BYTES", str(32 << 20))
ATTENDANCE_IMPORT_PART_BYTES = envint("ATTENDANCE_IMPORT_PART_BYTES", str(32 << 20))
ATTENDANCE_IMPORT_MEMORY_BYTES = envint("ATTENDANCE_IMPORT_MEMORY_BYTES", str(320 << 20))

if (BASE_DIR / "opiskeluhuolto" / "local_settings.py").exists():
    from .local_settings import *  # noqa: F403
