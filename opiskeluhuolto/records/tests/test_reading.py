"""Reading the register: one function, checked and logged (LAW.md L-906-1, L-21-2)."""

import pytest
from django.core.management import call_command
from django.http import Http404

from opiskeluhuolto.cases.tests.story import onni_prohibited_case, open_aino_case
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import read_record, read_records, readers_of

pytestmark = pytest.mark.django_db


def test_member_read_is_logged_with_basis(cast, case_with_entry):
    before = AccessLogEntry.objects.count()
    view = read_record(cast.kuraattori, case_with_entry, purpose="test")
    assert len(view.entries) == 1
    row = AccessLogEntry.objects.order_by("-seq").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (row.actor_id, row.basis, row.action) == (cast.kuraattori.pk, "membership", "read")
    assert row.student_id_ref == cast.aino.pk and row.actor_role == "kuraattori"


def test_each_entry_carries_its_own_amendments_oldest_first(cast, case_with_entry):
    from opiskeluhuolto.cases.tests.story import meeting
    from opiskeluhuolto.records import actions

    first = case_with_entry.record.entries.get()
    second = meeting(case_with_entry, cast.kuraattori, decisions="Toinen tapaaminen.")
    for entry, text, version in ((first, "Eka", 1), (second, "Kolmas", 1), (first, "Toka", 2)):
        actions.amend_entry(
            entry, by=cast.kuraattori, text=text, reason="x", expected_version=version
        )
    request = actions.request_rectification(case_with_entry, by=cast.student, text="Väärin.")
    later = actions.request_rectification(case_with_entry, by=cast.guardian, text="Myös.")
    view = read_record(cast.kuraattori, case_with_entry, purpose="test")
    assert [e.pk for e in view.entries] == [first.pk, second.pk]
    assert [[a.text for a in e.amendment_list] for e in view.entries] == [
        ["Eka", "Toka"],
        ["Kolmas"],
    ]
    assert view.entries[1].decisions == "Toinen tapaaminen."  # decrypted
    assert [r.pk for r in view.rectifications] == [later.pk, request.pk]
    assert view.rectifications[1].text == "Väärin."
    without = read_record(cast.kuraattori, case_with_entry, purpose="test", rectifications=False)
    assert without.rectifications is None


@pytest.mark.parametrize(
    "member", ["rehtori", "teacher", "psykologi", "nurse", "kuraattori_out", "outsider", "adult"]
)
def test_role_alone_gives_no_access(cast, case_with_entry, member):
    before = AccessLogEntry.objects.count()
    with pytest.raises(Http404):
        read_record(cast.users[member], case_with_entry, purpose="test")
    assert AccessLogEntry.objects.count() == before


def test_register_responsible_reads_as_register_admin(cast, case_with_entry):
    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    read_record(cast.admin, case_with_entry, purpose="review")
    assert AccessLogEntry.objects.order_by("-seq").first().basis == "register_admin"


def test_student_and_guardian_read_own(cast, case_with_entry):
    assert read_record(cast.student, case_with_entry, purpose="own").basis == "own_data"
    assert read_record(cast.guardian, case_with_entry, purpose="child").basis == "guardian"


def test_guardian_sees_nothing_under_prohibition(cast):
    case = onni_prohibited_case(cast)
    with pytest.raises(Http404):
        read_record(cast.guardian_onni, case, purpose="x")
    assert read_records(cast.guardian_onni, cast.onni, purpose="x") == []


def test_reads_by_student_lists_all_their_records(cast, case_with_entry):
    views = read_records(cast.student, cast.aino, purpose="own")
    assert [v.case for v in views] == [case_with_entry]


def test_membership_end_ends_access(cast, case_with_entry):
    from opiskeluhuolto.access.permissions import Permissions
    from opiskeluhuolto.cases import expert_groups

    expert_groups.withdraw_consent(case_with_entry.consents.get(), by=cast.kuraattori)
    cast.kuraattori.__dict__.pop("_oh_permissions", None)
    assert Permissions(cast.kuraattori).read_records(case_with_entry) is None


def test_readers_of_lists_name_role_and_time(cast, case_with_entry):
    read_record(cast.kuraattori, case_with_entry, purpose="x")
    rows, summary = readers_of(cast.aino, exclude_user=cast.student)
    assert rows[0].actor_name == cast.kuraattori.display_name and rows[0].at


def test_the_reader_summary_carried_forward_equals_a_fresh_count(cast, case_with_entry):
    """The summary is cached and extended with the rows after it; it must always equal
    counting the whole log again."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    def fresh_count():
        rows = AccessLogEntry.objects.filter(student_id_ref=cast.aino.pk).exclude(
            actor_id=cast.student.pk
        )
        return sorted(
            (r["actor_name"], r["actor_role"], r["times"], r["last"])
            for r in rows.values("actor_name", "actor_role").annotate(
                times=Count("pk"), last=Max("at")
            )
        )

    def summary():
        _rows, found = readers_of(cast.aino, exclude_user=cast.student)
        return sorted((r["actor_name"], r["actor_role"], r["times"], r["last"]) for r in found)

    first = summary()
    assert first == fresh_count()
    for reader in (cast.kuraattori, cast.kuraattori, cast.guardian):
        read_record(reader, case_with_entry, purpose="x")
        assert summary() == fresh_count()
    assert summary() != first
    cache.clear()
    assert summary() == fresh_count()


def test_guardian_of_an_adult_sees_nothing(cast):
    from opiskeluhuolto.cases import actions, expert_groups
    from opiskeluhuolto.organisation import actions as org

    org.link_guardian(cast.eero, cast.guardian_onni)
    referral = actions.file_referral(
        cast.eero, by=cast.kuraattori, channel="staff", reason="x", with_student=True
    )
    consent = expert_groups.give_consent(
        cast.eero,
        recorded_by=cast.kuraattori_out,
        kind="expert_group",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=[cast.kuraattori_out],
    )
    case = expert_groups.open_case(
        referral,
        by=cast.kuraattori_out,
        subject="x",
        background="x",
        consent=consent,
        members=[cast.kuraattori_out],
        responsible=cast.kuraattori_out,
    )
    with pytest.raises(Http404):
        read_record(cast.guardian_onni, case, purpose="x")
    assert read_records(cast.guardian_onni, cast.eero, purpose="x") == []


def test_readers_summary_covers_the_whole_history_while_rows_are_capped(
    cast, case_with_entry, settings
):
    from opiskeluhuolto.records import reading

    for _ in range(3):
        read_record(cast.kuraattori, case_with_entry, purpose="x")
    rows, summary = readers_of(cast.aino, exclude_user=cast.student)
    kaisa = next(s for s in summary if s["actor_name"] == cast.kuraattori.display_name)
    assert kaisa["times"] >= 3
    original = reading.READERS_SHOWN
    reading.READERS_SHOWN = 2
    try:
        rows, summary = readers_of(cast.aino, exclude_user=cast.student)
    finally:
        reading.READERS_SHOWN = original
    assert len(rows) == 2
    assert sum(s["times"] for s in summary) >= 3


def test_guardian_sees_reads_only_of_visible_matters(cast, case_with_entry):
    read_record(cast.kuraattori, case_with_entry, purpose="x")
    rows, summary = readers_of(cast.aino, exclude_user=cast.guardian, case_ids=set())
    assert rows == [] and summary == []


def _log_statement(sql: str) -> bool:
    return "records_accesslogentry" in sql or "pg_advisory_xact_lock" in sql


def test_the_log_is_written_last_after_everything_is_read(cast, case_with_entry):
    """The log is written last, once everything has been read (L-906-1), in one INSERT
    of all the rows on PostgreSQL (chained as the transaction commits) and after the
    last row's read on SQLite (where the write transaction makes other readers wait)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_aino_case(cast)  # a second record of the same student, read in the same call
    with CaptureQueriesContext(connection) as ctx:
        views = read_records(cast.student, cast.aino, purpose="own")
    assert len(views) == 2
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    first = next(i for i, s in enumerate(sql) if _log_statement(s))
    assert any("records_recordentry" in s for s in sql[:first])
    assert all(_log_statement(s) for s in sql[first:]), sql[first:]
    expected = 1 if connection.vendor == "postgresql" else 2
    assert len(sql[first:]) == expected and sql[-1].startswith("INSERT"), sql[first:]
    rows = list(AccessLogEntry.objects.order_by("-seq")[:2])
    assert {r.record_id_ref for r in rows} == {v.record.pk for v in views}
    assert rows[0].prev_hash == rows[1].hash
    call_command("verify_access_log")


def test_a_page_may_leave_out_disclosures_and_rectifications(cast, case_with_entry):
    view = read_record(
        cast.kuraattori, case_with_entry, purpose="x", disclosures=False, rectifications=False
    )
    assert view.disclosures is None and view.rectifications is None
    assert len(view.entries) == 1
    full = read_record(cast.kuraattori, case_with_entry, purpose="x")
    assert full.disclosures == [] and full.rectifications == []
