"""The trail is append-only: the ORM and the database refuse to change or remove events."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from opiskeluhuolto import audit
from opiskeluhuolto.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def _event(cast) -> AuditEvent:
    return audit.record(
        audit.Kind.ROLE_ADDED,
        object_type="organisation.roleassignment",
        object_id=1,
        by=cast.admin,
        provider_id=cast.provider.pk,
        after={"role": "teacher"},
    )


def test_an_event_says_who_when_what_and_the_state(cast):
    event = _event(cast)
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name) == (cast.admin.pk, "Paula Pääkäyttäjä")
    assert event.source == "action" and event.after == {"role": "teacher"} and event.at


def test_the_orm_refuses_updates_and_deletes(cast):
    event = _event(cast)
    event.kind = audit.Kind.ROLE_REMOVED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(kind="role.remove")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).kind == audit.Kind.ROLE_ADDED


def test_the_database_refuses_an_update_past_the_orm(cast):
    event = _event(cast)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_name = 'someone' WHERE id = %s", [event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "Paula Pääkäyttäjä"


def test_a_delete_past_the_orm(cast):
    """PostgreSQL refuses it. SQLite has no DELETE trigger by design (migration 0001: its
    test databases are emptied with DELETE); there only the ORM refuses."""
    event = _event(cast)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditevent'"
            )
            assert [r[0] for r in cursor.fetchall()] == ["audit_event_no_update"]


def test_record_needs_the_transaction_of_the_change(cast, monkeypatch):
    monkeypatch.setattr(type(connection), "in_atomic_block", False, raising=False)
    with pytest.raises(RuntimeError):
        _event(cast)
