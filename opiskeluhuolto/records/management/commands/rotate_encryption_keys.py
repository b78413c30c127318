"""Re-encrypt the register's free text with the newest key in FIELD_ENCRYPTION_KEYS.

Put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it),
run this command, then remove the old keys.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from opiskeluhuolto.lib.fields import encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            names = encrypted_fields(model)
            if not names:
                continue
            done = 0
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # The triggers of records, entries, amendments and disclosures
                    # (records migrations 0014, 0017) let this transaction rewrite
                    # their encrypted columns, and nothing else.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL records.reencrypting = 'on'")
                for row in (
                    model._base_manager.order_by("pk").values("pk", *names).iterator(chunk_size=500)
                ):
                    pk = row.pop("pk")
                    # A queryset update re-runs get_prep_value, i.e. encrypts with the first key;
                    # it bypasses the append-only guard because the content does not change.
                    model._base_manager.filter(pk=pk).update(**row)
                    done += 1
            total += done
            self.stdout.write(f"{model._meta.label}: {done} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows."))
