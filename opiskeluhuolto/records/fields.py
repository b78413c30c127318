"""The encrypted field moved to `opiskeluhuolto.lib.fields` (cases and records both use it).

Migrations refer to a field class by its import path, and the migrations written before
the move name this module: it stays importable for them. New code imports `lib.fields`.
"""

from opiskeluhuolto.lib.fields import EncryptedJSONField, EncryptedTextField

__all__ = ["EncryptedJSONField", "EncryptedTextField"]
