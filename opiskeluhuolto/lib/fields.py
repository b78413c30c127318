"""Encryption at rest for the free-text content of the welfare register.

ARCHITECTURE.md §7, LAW.md L-GDPR-2: free text of records is encrypted with
keys from the environment (`settings.FIELD_ENCRYPTION_KEYS`, newest first).
`MultiFernet` encrypts with the first key and decrypts with any of them, so a
new key can be put in front and `manage.py rotate_encryption_keys` re-encrypts
the stored values with it; after that the old key can be dropped.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


def _key(secret: str) -> Fernet:
    """A Fernet key exactly as `Fernet.generate_key()` makes them; anything else is refused.

    A mistyped key must stop the service, not silently become another key.
    """
    try:
        return Fernet(secret.encode())
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key. Generate one with: "
            'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        ) from None


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([_key(k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    if text == "":
        return ""
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
            "a key is missing from the list"
        ) from None


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token; reads and writes plain text in Python.

    Not searchable or orderable in the database, by design: nothing needs to
    search welfare free text (ARCHITECTURE.md §7).
    """

    encrypted = True

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def to_python(self, value):
        return "" if value is None and not self.null else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))


class EncryptedJSONField(EncryptedTextField):
    """JSON (lists, dicts) encrypted as text, e.g. meeting participants."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        if not text:
            return []
        return json.loads(text)

    def to_python(self, value: Any):
        if isinstance(value, str):
            return json.loads(value) if value else []
        return value if value is not None else []

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


def encrypted_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
