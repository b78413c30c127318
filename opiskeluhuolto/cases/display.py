"""What the case page shows beside the record: the expert group, the consents and the
guardian prohibitions.

Each list is read with plain SQL through `Model.objects.raw`, the people's names joined in,
not with ORM querysets with `select_related` and `prefetch_related`: on this page, read on
every visit of a case, building those queries cost several times more than running them.
`raw` still gives model instances with Django's own conversions (dates, decrypted text,
JSON; run through `lib.compiled.raw`, which works out the columns once), so the template
keeps `get_kind_display` and the like; the related people come as
plain names (`member_name`, `guardian_name`, `recorder_name`, `member_names`,
`assessor_name`) instead of user objects.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from opiskeluhuolto.accounts.models import display_name
from opiskeluhuolto.lib import compiled

from .models import Case, Consent, ExpertGroupMembership, GuardianProhibition


def expert_group(case: Case, roles_on: date | None = None) -> list[ExpertGroupMembership]:
    """Every membership of the case: the current ones first (the responsible person first,
    then by start), then the ended ones, latest ended first. Spelled out in full, because
    the databases sort a missing end date differently (PostgreSQL last, SQLite first).

    With `roles_on`, each membership also says whether its person holds a role at the
    case's institution (or provider-wide) on that day (`has_role`), the condition of
    `MembershipQuerySet.active_on`: `members_without_role` finds the members who lost
    access in these rows, and the page reads the memberships once (one round trip fewer
    for every reader of a case, issue 21)."""
    has_role = "NULL"
    params: list = []
    if roles_on is not None:
        has_role = (
            "EXISTS (SELECT 1 FROM organisation_roleassignment r WHERE r.user_id = m.user_id"
            " AND r.valid_from <= %s AND (r.valid_until IS NULL OR r.valid_until >= %s)"
            " AND (r.institution_id = %s OR (r.institution_id IS NULL AND r.provider_id ="
            " (SELECT i.provider_id FROM organisation_institution i WHERE i.id = %s))))"
        )
        params = [roles_on, roles_on, case.institution_id, case.institution_id]
    # Only constant SQL is put together here; the values are parameters.
    sql = (
        "SELECT m.id, m.case_id, m.user_id, m.position, m.is_responsible, m.started_on,"  # noqa: S608
        " m.ended_on, m.end_reason, u.first_name, u.last_name, u.username,"
        f" {has_role} AS has_role"
        " FROM cases_expertgroupmembership m JOIN accounts_user u ON u.id = m.user_id"
        " WHERE m.case_id = %s"
        " ORDER BY m.ended_on IS NOT NULL, m.ended_on DESC, m.is_responsible DESC,"
        " m.started_on, m.id"
    )
    rows = compiled.raw(ExpertGroupMembership, sql, [*params, case.pk])
    memberships = list(rows)
    for m in memberships:
        m.member_name = display_name(m.first_name, m.last_name, m.username)  # type: ignore[attr-defined]  # columns of the raw query
    return memberships


def consents(case: Case) -> list[Consent]:
    """The case's consents in the order given, each with the names of the guardian who gave
    it, of the person who recorded it, of the welfare professional who assessed the
    student's capacity, and of the members it names (in the order their
    links were stored, the order PostgreSQL gave the page before without an ORDER BY).

    What the consent covers (`scope`) is not shown on the page and not read. The named
    members come in the same query, a row per consent and member (one round trip, not two,
    for every reader of a case, issue 21); the rows of one consent are made one."""
    rows = compiled.raw(
        Consent,
        "SELECT c.id, c.case_id, c.kind, c.given_by, c.guardian_id, c.capacity_assessment,"
        " c.capacity_assessed_by_id, c.how, c.given_on, c.named_roles, c.other_participants, c.recipient,"
        " c.withdrawn_at, c.withdrawn_on,"
        " g.first_name AS g_first, g.last_name AS g_last, g.username AS g_username,"
        " r.first_name AS r_first, r.last_name AS r_last, r.username AS r_username,"
        " a.first_name AS a_first, a.last_name AS a_last, a.username AS a_username,"
        " n.id AS n_id, nu.first_name AS n_first, nu.last_name AS n_last,"
        " nu.username AS n_username"
        " FROM cases_consent c"
        " LEFT JOIN accounts_user g ON g.id = c.guardian_id"
        " LEFT JOIN accounts_user a ON a.id = c.capacity_assessed_by_id"
        " JOIN accounts_user r ON r.id = c.recorded_by_id"
        " LEFT JOIN cases_consent_named_members n ON n.consent_id = c.id"
        " LEFT JOIN accounts_user nu ON nu.id = n.user_id"
        " WHERE c.case_id = %s ORDER BY c.given_on, c.id, n.id",
        [case.pk],
    )
    result: list[Consent] = []
    names: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if not result or result[-1].pk != row.pk:
            result.append(row)
        if row.n_id is not None:  # type: ignore[attr-defined]  # columns of the raw query
            names[row.pk].append(display_name(row.n_first, row.n_last, row.n_username))  # type: ignore[attr-defined]
    for c in result:
        c.case = case  # the same case: the access rules read it without a query
        c.guardian_name = display_name(c.g_first, c.g_last, c.g_username) if c.guardian_id else ""  # type: ignore[attr-defined]  # columns of the raw query
        c.recorder_name = display_name(c.r_first, c.r_last, c.r_username)  # type: ignore[attr-defined]  # columns of the raw query
        c.assessor_name = (  # type: ignore[attr-defined]  # columns of the raw query
            display_name(c.a_first, c.a_last, c.a_username)  # type: ignore[attr-defined]
            if c.capacity_assessed_by_id
            else ""
        )
        c.member_names = names[c.pk]  # type: ignore[attr-defined]  # attached for the template
    return result


def prohibitions(case: Case) -> list[GuardianProhibition]:
    """The guardian prohibitions of the case's student that cover this case (its own and
    those covering all the student's matters), in force or lifted, newest first.

    The assessment of the minor's interest is not shown on the page and not read."""
    rows = compiled.raw(
        GuardianProhibition,
        "SELECT p.id, p.case_id, p.reason, p.assessor_profession, p.decided_on, p.lifted_at,"
        " u.first_name, u.last_name, u.username"
        " FROM cases_guardianprohibition p JOIN accounts_user u ON u.id = p.assessed_by_id"
        " WHERE p.student_id = %s AND (p.case_id = %s OR p.case_id IS NULL)"
        " ORDER BY p.decided_on DESC, p.id DESC",
        [case.student_id, case.pk],
    )
    result = list(rows)
    for p in result:
        p.assessor_name = display_name(p.first_name, p.last_name, p.username)  # type: ignore[attr-defined]  # columns of the raw query
    return result


def members_without_role(
    memberships: list[ExpertGroupMembership], today: date
) -> list[ExpertGroupMembership]:
    """Members whose role at the institution has ended while their membership has not: they
    have no access any more (LAW.md L-906-4), and the responsible person is told here.

    From the rows of `expert_group(case, roles_on=today)`: open on `today`
    (`MembershipQuerySet.without_role_on`) without a role that day; in the order stored.
    Rows read without `roles_on` say nothing about roles: no one is named from them."""
    found = []
    for m in memberships:
        has_role = m.has_role  # type: ignore[attr-defined]  # column of the raw query
        is_open = m.started_on <= today and (m.ended_on is None or m.ended_on > today)
        if is_open and has_role is not None and not has_role:
            found.append(m)
    return sorted(found, key=lambda m: m.pk)
