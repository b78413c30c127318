import os

import pytest

# Browser tests drive a live server from a sync Playwright session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    from django.core.cache import cache

    cache.clear()  # the database is rolled back after each test: nothing cached may outlive it
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REQUIRE_STAFF_MFA = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db):
    from django.utils import timezone

    from opiskeluhuolto.testing.cast import build

    return build(timezone.localdate())
