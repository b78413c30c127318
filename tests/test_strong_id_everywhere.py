"""Confidential welfare data reaches a student or guardian only in a strongly identified
session (LAW.md L-306-4, L-IF-4), on every page and API operation, not only the record.

Walks the permission matrix (a row for every URL of the project, pages and API alike) and
takes every row a student, an adult student or a guardian may reach. Each must be named
below, as confidential or not, so a new URL cannot slip past:

- CONFIDENTIAL: it shows or changes the student's welfare data (the record and its copies,
  the copy of everything held, "who has read my data", the case with its expert group,
  her consents, a rectification request, the messages of an appointment request with the
  professional's replies). A weak session (a password or MPASSid sign-in)
  is sent to the step-up page, or the API answers 403 with the step-up code; a strong one
  gets the page.
- OPEN: asking for help and booking a time (LAW.md L-18-2: no gate on asking for help),
  writing about a request and seeing its state and time (not the thread),
  announcements, events, spaces, surveys, the front page, the list naming that a matter
  exists without its subject (the step-up is asked on the matter itself), registering a
  data request. L-306-5: identification only where it is needed. A weak session gets the
  same answer as the matrix says.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from opiskeluhuolto.access.identification import ERROR_CODE, SESSION_KEY
from opiskeluhuolto.access.matrix import all_rows, setup_cast

pytestmark = pytest.mark.django_db

OWN = ("student", "adult", "guardian")
STRONG_ACR = "http://ftn.ficora.fi/2017/loa3"

CONFIDENTIAL = {
    "records:case",
    "records:pdf",
    "records:rectify",
    "records:my_log",
    "privacy:copy_pdf",
    "privacy:copy_json",
    "cases:own_consent",
    "cases:withdraw_own_consent",
    "api:cases-detail",
    "api:records-case",
    # The thread of an appointment request holds the professional's replies; writing
    # (`appointments:request_write`) stays open.
    "appointments:request_messages",
}

#: Reachable by a student or guardian and usable in a weak session (see the docstring).
OPEN = {
    # Asking for help and booking a time, her own requests and times (L-18-2, L-306-5).
    "api:appointments-availability",
    "api:appointments-bookings",
    "api:appointments-request",
    "api:appointments-requests",
    "appointments:book",
    "appointments:booking_ics",
    "appointments:cancel",
    "appointments:feed",
    "appointments:index",
    "appointments:public_page",
    "appointments:rebook",
    "appointments:request_new",
    "appointments:request_write",
    # Asking for help (L-18-2); the list says that a matter exists, its date and state,
    # not its subject: the matter's page asks for the step-up.
    "api:cases-list",
    "cases:index",
    "cases:self_refer",
    # Public or communal pages: the step-up itself, announcements, events, calendars,
    # spaces, surveys, the communal welfare group, plans, privacy notices, her data
    # requests (registering one shows nothing held), the directory card, the front page.
    "announcements:archive",
    "announcements:audience_archive",
    "announcements:index",
    "announcements:read",
    "announcements:unsubscribe",
    "annualclock:clock",
    "annualclock:feed",
    "annualclock:feeds",
    "annualclock:item",
    "annualclock:months",
    "api:announcements",
    "api:annualclock-occurrences",
    "api:events",
    "api:events-cancel",
    "api:institution",
    "api:institutions",
    "api:me",
    "api:meetings-group",
    "api:meetings-group-meetings",
    "api:meetings-groups",
    "api:meetings-meeting",
    "api:meetings-plan-public",
    "api:procedures-list",
    "api:spaces-bookings",
    "api:surveys-open",
    "api:surveys-results",
    "events:calendar",
    "events:calendar_feed",
    "events:calendar_feed_revoke",
    "events:calendar_feeds",
    "events:campaign",
    "events:cancel",
    "events:event",
    "events:index",
    "events:register",
    "front:accessibility",
    "front:accessibility_feedback",
    "front:home",
    "healthz",
    "identification:strong",
    "incidents:anonymous",
    "meetings:group",
    "meetings:groups",
    "meetings:highlight_add",
    "meetings:meeting",
    "meetings:meeting_pdf",
    "meetings:plan_comment",
    "meetings:plan_diff",
    "meetings:plan_public",
    "meetings:plan_version",
    "meetings:regional_plan_public",
    "meetings:standing_raise",
    "organisation:student",
    "privacy:my_data",
    "privacy:notice",
    "privacy:notices",
    "procedures:index",
    "projects:index",
    "set_language",
    "spaces:index",
    "spaces:space",
    "surveys:answer",
    "surveys:list",
    "surveys:results",
    "surveys:results_csv",
    "surveys:results_pdf",
}

#: The matrix runs without the requirement, where the step-up page sends a session on (it
#: is "strong enough"); with it on, the page asks a weak session to identify.
WEAK_STATUS = {"identification:strong": 200}


def _reachable(row) -> list[str]:
    return [m for m in OWN if row.status_for(m) in (200, 302)]


def _client(cast, member: str, *, strong: bool) -> Client:
    client = Client()
    user = cast.member(member)
    client.force_login(user)
    if strong:
        session = client.session
        session[SESSION_KEY] = {"provider": "suomifi", "acr": STRONG_ACR, "at": 0, "user": user.pk}
        session.save()
    return client


def _stepped_up(response) -> bool:
    if response.request["PATH_INFO"] == reverse("identification:strong"):
        return False  # the step-up page itself
    if response.status_code == 302:
        return response["Location"].startswith(reverse("identification:strong"))
    if response.status_code == 403 and response["Content-Type"].startswith("application/json"):
        return response.json().get("code") == ERROR_CODE
    return False


@override_settings(REQUIRE_STRONG_ID=True)
def test_every_students_and_guardians_url_asks_for_strong_identification(cast):
    setup_cast(cast)
    rows = sorted(
        (r for r in all_rows() if _reachable(r)), key=lambda r: r.method != "get"
    )  # state changes last
    names = {r.url_name for r in rows}
    # Every reachable URL is named: a new one must be judged confidential or not.
    assert names <= CONFIDENTIAL | OPEN, sorted(names - CONFIDENTIAL - OPEN)
    assert names >= CONFIDENTIAL, CONFIDENTIAL - names
    wrong = []
    for row in rows:
        for member in _reachable(row):
            url = reverse(row.url_name, kwargs=row.kwargs(cast))
            weak = getattr(_client(cast, member, strong=False), row.method)(
                url, data=row.data(cast)
            )
            if row.url_name in CONFIDENTIAL:
                if not _stepped_up(weak):
                    wrong.append(f"weak {member} {row.method} {url}: {weak.status_code}")
                strong = getattr(_client(cast, member, strong=True), row.method)(
                    url, data=row.data(cast)
                )
                if _stepped_up(strong) or (
                    row.method == "get" and strong.status_code != row.status_for(member)
                ):
                    wrong.append(f"strong {member} {row.method} {url}: {strong.status_code}")
            elif _stepped_up(weak) or (
                row.method == "get"
                and weak.status_code != WEAK_STATUS.get(row.url_name, row.status_for(member))
            ):
                wrong.append(f"open {member} {row.method} {url}: {weak.status_code}")
    assert len(rows) > 10
    assert not wrong, wrong


@override_settings(REQUIRE_STRONG_ID=True)
def test_the_copy_of_a_student_without_a_case_asks_for_strong_identification(cast):
    """The auditor's case: no case to read through the register's gate, but referrals."""
    from opiskeluhuolto.cases import actions

    student = cast.member("adult")
    subject = student.student
    actions.file_referral(subject, by=student, channel="self", reason="Haluan puhua jaksamisesta.")
    url = reverse("privacy:copy_json", args=[subject.pk])
    weak = _client(cast, "adult", strong=False).get(url)
    assert _stepped_up(weak) and "jaksamisesta" not in weak.text
    strong = _client(cast, "adult", strong=True).get(url)
    assert strong.status_code == 200 and "Haluan puhua jaksamisesta." in strong.text


@override_settings(REQUIRE_STRONG_ID=True)
def test_the_case_api_asks_a_student_to_identify_and_logs_the_read(cast):
    from opiskeluhuolto.records.models import AccessLogEntry

    setup_cast(cast)
    url = reverse("api:cases-detail", kwargs={"case_id": cast.case.pk})
    weak = _client(cast, "student", strong=False).get(url)
    assert _stepped_up(weak) and "Kaisa" not in weak.text
    rows = AccessLogEntry.objects.filter(actor_id=cast.student.pk, case_id_ref=cast.case.pk)
    assert not rows.exists()
    strong = _client(cast, "student", strong=True).get(url)
    assert strong.status_code == 200 and "Kaisa Kuraattori" in strong.text
    assert rows.filter(basis="own_data").count() == 1
    # The staff's reads are logged too, on their basis.
    staff = _client(cast, "kuraattori", strong=False).get(url)
    assert staff.status_code == 200
    assert AccessLogEntry.objects.filter(
        actor_id=cast.kuraattori.pk, case_id_ref=cast.case.pk, action="api_read"
    ).exists()
