"""The case page and "who has read my data" make the same number of queries however much
data there is (ARCHITECTURE.md §6): more entries, amendments, reads and other cases."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.cases import actions as case_actions
from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.cases.tests.story import meeting, onni_prohibited_case, open_aino_case
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.reading import read_record

pytestmark = pytest.mark.django_db


def queries(user, url) -> int:
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # the session is saved, caches are warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def more_data(cast, case, n: int = 3) -> None:
    for _ in range(n):
        entry = meeting(case, cast.kuraattori)
        actions.amend_entry(
            entry,
            by=cast.kuraattori,
            text="Korjattu.",
            reason="Kirjoitusvirhe.",
            expected_version=entry.version,
        )
        read_record(cast.kuraattori, case, purpose="test")
        read_record(cast.supervisor, case, purpose="test")
    actions.request_rectification(case, by=cast.student, text="Päivämäärä on väärin.")
    onni_prohibited_case(cast)


def test_case_page_query_count_does_not_grow_with_the_data(cast, case_with_entry):
    url = reverse("records:case", args=[case_with_entry.pk])
    before = queries(cast.kuraattori, url)
    more_data(cast, case_with_entry)
    assert queries(cast.kuraattori, url) == before


def test_case_page_query_count_does_not_grow_with_the_readers_other_cases(cast, case_with_entry):
    """A welfare worker in the expert groups of many open cases (100 each at the issue's
    size, issue 21 item 3), each read and logged: the page of one case costs the same."""
    url = reverse("records:case", args=[case_with_entry.pk])
    before = queries(cast.kuraattori, url)
    for _ in range(3):
        other = open_aino_case(cast)
        meeting(other, cast.kuraattori)
        read_record(cast.kuraattori, other, purpose="test")
    assert queries(cast.kuraattori, url) == before


def test_case_page_query_count_does_not_grow_with_consents_and_prohibitions(cast, case_with_entry):
    """Each consent names its members and recorder, each prohibition its assessor: all
    fetched with the list, not one query per row."""
    url = reverse("records:case", args=[case_with_entry.pk])
    before = queries(cast.kuraattori, url)
    for case in (case_with_entry, None):
        case_actions.record_prohibition(
            cast.aino,
            case=case,
            by=cast.kuraattori,
            reason="Painava syy.",
            assessed_by=cast.kuraattori,
            assessor_profession="kuraattori",
            assessment="Ei vastoin etua.",
            decided_on=cast.today,
        )
        expert_groups.give_consent(
            cast.aino,
            case=case_with_entry,
            recorded_by=cast.supervisor,
            kind="disclosure",
            given_by="student",
            how="written",
            given_on=cast.today,
            named_members=[cast.kuraattori, cast.supervisor],
            recipient="Nuorisopsykiatria",
        )
    assert queries(cast.kuraattori, url) == before


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        # session, user, facts token, case, the gate's memberships, record, entries,
        # amendments, rectification requests, the expert group with whether each member
        # still holds a role (LAW.md L-906-4), consents with their named members,
        # prohibitions (issue 21: the memberships and the named members are no longer
        # queries of their own)
        ("kuraattori", 12),
        # no rectification requests or prohibitions; the gate's own student; whether
        # her guardians see the matter (the page tells her who sees it)
        ("student", 12),
        # and the gate's guarded students and prohibitions in force
        ("guardian", 13),
    ],
)
def test_case_page_queries(cast, case_with_entry, member, expected):
    """What one visit of the case page queries, beside the access log's own statements
    (SQLite and PostgreSQL take a different number of them) and the test's savepoints.
    Every query costs CPU under load: change these numbers on purpose, not by accident."""
    client = Client()
    client.force_login(cast.users[member])
    url = reverse("records:case", args=[case_with_entry.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    page = [
        q["sql"]
        for q in ctx.captured_queries
        if "SAVEPOINT" not in q["sql"] and "records_accesslogentry" not in q["sql"]
    ]
    assert len(page) == expected, "\n".join(page)
    assert len(ctx.captured_queries) > len(page)  # the read was logged


def test_who_has_read_my_data_query_count_does_not_grow_with_the_data(cast, case_with_entry):
    url = reverse("records:my_log")
    read_record(cast.kuraattori, case_with_entry, purpose="test")
    before = queries(cast.student, url)
    more_data(cast, case_with_entry)
    assert queries(cast.student, url) == before
    guardian_before = queries(cast.guardian, url)
    more_data(cast, case_with_entry, n=2)
    assert queries(cast.guardian, url) == guardian_before


def test_case_page_names_a_member_whose_role_ended(cast):
    """The responsible person is told on the case page about a member who lost access with
    their role (LAW.md L-906-4), from the memberships the page reads once."""
    from opiskeluhuolto.cases.tests.matrix import _member_whose_role_ended

    cast.case = open_aino_case(cast)
    ended = _member_whose_role_ended(cast)
    client = Client()
    client.force_login(cast.kuraattori)
    page = client.get(reverse("records:case", args=[cast.case.pk])).content.decode()
    assert "Nelli Nuoriso" in page
    assert reverse("cases:end_membership", args=[ended.pk]) in page
    ended.user.role_assignments.update(valid_until=None)
    page = client.get(reverse("records:case", args=[cast.case.pk])).content.decode()
    assert reverse("cases:end_membership", args=[ended.pk]) not in page
