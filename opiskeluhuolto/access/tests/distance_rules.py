"""The rule table of docs/access-rules.md, as data: who reaches what, by role and distance.

Written from the document, not from the code under test: `test_distance.py` asks every
URL and API operation that takes an object id, as every role posted at every distance
from the object, and compares the answer (404, or anything else) with this table.

Every object the rows point at is Aino's or her school's: Aino (16) studies at the
lukio, on its campus Etu-Töölö, in group 24A. A viewer's *position* says where their
role is held, or, for students and guardians, whose they are:

    own               the student herself / her guardian
    group             the group supervisor of 24A / a classmate / a classmate's guardian
    campus            a role posted to Aino's campus / a student of another group there
    institution       a role at the lukio, not posted to a campus
    provider          a provider-wide role
    other_campus      a role posted to the lukio's other campus / a student there
    other_institution a role at another institution of the provider / a student there
    county            a role at another provider of the same wellbeing county; every
                      one of them is a member of the county's regional cooperation group
                      with Aino's provider, which shares only communal content (issue 20)
    other_provider    a role at a provider elsewhere / a student or guardian there
"""

from __future__ import annotations

from opiskeluhuolto.organisation.models import Role

OWN, GROUP, CAMPUS, INSTITUTION, PROVIDER = "own", "group", "campus", "institution", "provider"
OTHER_CAMPUS, OTHER_INSTITUTION = "other_campus", "other_institution"
COUNTY, OTHER_PROVIDER = "county", "other_provider"

#: Where staff roles are held in the test world (every role at every one of these).
STAFF_POSITIONS = (
    CAMPUS,
    INSTITUTION,
    PROVIDER,
    OTHER_CAMPUS,
    OTHER_INSTITUTION,
    COUNTY,
    OTHER_PROVIDER,
)
STUDENT_POSITIONS = (OWN, GROUP, CAMPUS, OTHER_CAMPUS, OTHER_INSTITUTION, OTHER_PROVIDER)
GUARDIAN_POSITIONS = (OWN, GROUP, OTHER_PROVIDER)

STAFF_ROLES = tuple(Role)
STUDENT, GUARDIAN, SUPERVISOR_OF_GROUP = "student", "guardian", "group_supervisor_of_24A"

# --- reach: the positions from which a role reaches Aino ------------------------------
#: A unit that contains Aino's campus (her campus, her institution, the provider).
REACHES_AINO = frozenset({CAMPUS, INSTITUTION, PROVIDER})
#: A unit that contains her institution, whatever campus it is posted to.
IN_INSTITUTION = REACHES_AINO | {OTHER_CAMPUS}
#: Anywhere in the provider.
IN_PROVIDER = IN_INSTITUTION | {OTHER_INSTITUTION}
#: The lukio's students and guardians.
LUKIO_STUDENTS = frozenset({OWN, GROUP, CAMPUS, OTHER_CAMPUS})
LUKIO_GUARDIANS = frozenset({OWN, GROUP})

WELFARE = (Role.SOCIAL_WORKER, Role.PSYCHOLOGIST, Role.NURSE, Role.DOCTOR)
DETAIL_ROLES = (*WELFARE, Role.PRINCIPAL, Role.STUDY_COUNSELLOR, Role.SPECIAL_NEEDS_TEACHER)
SCHOOL_STAFF = tuple(r for r in Role if r != Role.EXTERNAL_MEMBER)
NOBODY: frozenset[str] = frozenset()
#: Who writes announcements and organises events for a unit.
WRITERS = (*WELFARE, Role.PRINCIPAL, Role.STUDY_COUNSELLOR, Role.COMMUNITY_COORDINATOR)


def rule(
    staff: dict | None = None,
    *,
    admin=None,
    student=NOBODY,
    guardian=NOBODY,
    supervisor: bool = False,
) -> dict:
    """One line of the table: role → positions allowed. `staff` maps roles (or tuples of
    roles) to positions; `admin` overrides the provider admin's positions."""
    table: dict[str, frozenset[str]] = {r: NOBODY for r in STAFF_ROLES}
    for roles, positions in (staff or {}).items():
        for r in roles if isinstance(roles, tuple) else (roles,):
            table[r] = frozenset(positions)
    if admin is not None:
        table[Role.PROVIDER_ADMIN] = frozenset(admin)
    table[STUDENT] = frozenset(student)
    table[GUARDIAN] = frozenset(guardian)
    table[SUPERVISOR_OF_GROUP] = frozenset({GROUP}) if supervisor else NOBODY
    return table


def everyone() -> dict:
    table = rule({SCHOOL_STAFF + (Role.EXTERNAL_MEMBER,): STAFF_POSITIONS})
    table[STUDENT] = frozenset(STUDENT_POSITIONS)
    table[GUARDIAN] = frozenset(GUARDIAN_POSITIONS)
    table[SUPERVISOR_OF_GROUP] = frozenset({GROUP})
    return table


#: Capability → role → positions from which the object answers (anything but 404).
RULES: dict[str, dict] = {
    # --- organisation ----------------------------------------------------------------
    # The institution's page (campuses, groups' names, calendar): any staff role in it.
    "institution_page": rule({STAFF_ROLES: IN_INSTITUTION}, admin=IN_PROVIDER, supervisor=True),
    # The institution in the API (name, campuses): also its students and their guardians.
    "institution": rule(
        {STAFF_ROLES: IN_INSTITUTION},
        admin=IN_PROVIDER,
        student=LUKIO_STUDENTS,
        guardian=LUKIO_GUARDIANS,
        supervisor=True,
    ),
    "calendar": rule(admin=IN_PROVIDER),
    # Directory entry: the school's staff whose unit reaches the student; admins.
    "student": rule(
        {SCHOOL_STAFF: REACHES_AINO},
        admin=IN_PROVIDER,
        student={OWN},
        guardian={OWN},
        supervisor=True,
    ),
    "group_roster": rule({SCHOOL_STAFF: REACHES_AINO}, admin=IN_PROVIDER, supervisor=True),
    # --- referrals (L-16-1) ------------------------------------------------------------
    "refer": rule({SCHOOL_STAFF: REACHES_AINO}, supervisor=True),
    "referral": rule({WELFARE: REACHES_AINO}),
    # --- cases and records (L-21-2): never by role or place -----------------------------
    # Only by relation: Aino, her guardian, and her expert group's members. Of the viewers
    # here, Sanna (supervisor of 24A) is a member of that group in the cast; no role at
    # any distance gives anything.
    "case": rule(student={OWN}, guardian={OWN}, supervisor=True),
    "case_member": rule(supervisor=True),
    # Closing a case, naming its responsible person, lifting a prohibition: the
    # responsible member only (Kaisa), nobody here.
    "case_responsible": rule(),
    "own_consent": rule(student={OWN}),
    "rectify": rule(student={OWN}, guardian={OWN}),
    # The student's own copy (record PDF, the whole-person copy): she and her guardian.
    "own_data": rule(student={OWN}, guardian={OWN}),
    # Data requests are answered by the register administration of the provider (the
    # register responsible person or the role the provider names): nobody here, not even
    # a provider admin by that role alone.
    "register_admin": rule(),
    # --- appointments: the service's professionals whose unit reaches the student ------
    "booking": rule({Role.SOCIAL_WORKER: REACHES_AINO}, student={OWN}),
    "booking_staff": rule({Role.SOCIAL_WORKER: REACHES_AINO}),
    "request_staff": rule({Role.SOCIAL_WORKER: REACHES_AINO}),
    # A request Aino's guardian made: he sees it, and so does she (L-18-2).
    "request": rule({Role.SOCIAL_WORKER: REACHES_AINO}, student={OWN}, guardian={OWN}),
    # Writing about it without reading the thread: her and him only (the staff answer on
    # the request's own page).
    "request_own": rule(student={OWN}, guardian={OWN}),
    "own_hours": rule(),
    # --- procedures and incidents ----------------------------------------------------
    # A staff procedure of the lukio: its school staff (any campus) and provider admins.
    "procedure_staff": rule({SCHOOL_STAFF: IN_INSTITUTION}, admin=IN_PROVIDER, supervisor=True),
    "procedure_manage": rule({Role.PRINCIPAL: IN_INSTITUTION}, admin=IN_PROVIDER),
    # An incident on Aino's campus: the principal whose unit reaches it (and its handler).
    "incident": rule({Role.PRINCIPAL: REACHES_AINO}),
    # A drill on Aino's campus: school staff whose unit reaches the campus; its corrective
    # actions are marked done by their owner or the principal reaching the campus.
    "safety_record": rule({SCHOOL_STAFF: REACHES_AINO}, admin=IN_PROVIDER, supervisor=True),
    "safety_manage": rule({Role.PRINCIPAL: REACHES_AINO}, admin=IN_PROVIDER),
    # --- public pages and secret-token feeds -------------------------------------------
    "public": everyone(),
    # --- communal welfare (unit-level, no student data) --------------------------------
    # The provider's annual clock: every school-staff role in the provider; the members of
    # a following group (Aino is the student representative of the lukio's group).
    "clock": rule({SCHOOL_STAFF: IN_PROVIDER}, student={OWN}, supervisor=True),
    "clock_manage": rule({Role.PRINCIPAL: {PROVIDER}}, admin=IN_PROVIDER),
    # Any principal of the provider adapts the provider's clock for their own unit.
    "clock_adapt": rule({Role.PRINCIPAL: IN_PROVIDER}, admin=IN_PROVIDER),
    "own_feed": rule(),
    # The lukio's welfare group and its meetings: school staff of the lukio or
    # provider-wide, its members (Aino).
    "welfare_group": rule(
        {SCHOOL_STAFF: IN_INSTITUTION}, admin=IN_PROVIDER, student={OWN}, supervisor=True
    ),
    "welfare_group_manage": rule({Role.PRINCIPAL: IN_INSTITUTION}, admin=IN_PROVIDER),
    "student_body": rule({Role.PRINCIPAL: IN_INSTITUTION}, admin=IN_PROVIDER, student={OWN}),
    "plan": rule({SCHOOL_STAFF: IN_INSTITUTION}, admin=IN_PROVIDER, supervisor=True),
    "plan_manage": rule({Role.PRINCIPAL: IN_INSTITUTION}, admin=IN_PROVIDER),
    # A draft open for comments: the plan's readers, and the lukio's students and
    # guardians of minors there (L-13-1).
    "plan_comments": rule(
        {SCHOOL_STAFF: IN_INSTITUTION},
        admin=IN_PROVIDER,
        student=LUKIO_STUDENTS,
        guardian=LUKIO_GUARDIANS,
        supervisor=True,
    ),
    # The county's regional plan (§13a), published: its regional group's members (everyone
    # at the county distance) and the school staff of its member providers (Aino's
    # provider); not an external member of Aino's provider, nobody of another county.
    "regional_plan": rule(
        {SCHOOL_STAFF: IN_PROVIDER | {COUNTY}, Role.EXTERNAL_MEMBER: {COUNTY}}, supervisor=True
    ),
    # Starting and editing it: the regional group's chair and secretary (nobody here).
    "regional_plan_manage": rule(),
    "indicator": rule({SCHOOL_STAFF: IN_PROVIDER}, admin=IN_PROVIDER, supervisor=True),
    "indicator_manage": rule(admin=IN_PROVIDER),
    # --- knowledge-based management ------------------------------------------------------
    "imports": rule(admin=IN_PROVIDER),
    # Individuals of a group (early warning, care tasks): its supervisor only.
    "group_individuals": rule(supervisor=True),
    # --- surveys (issue 16) ------------------------------------------------------------
    # Answering: only the invited (Aino, on the survey's list); no role gives it.
    "survey_answer": rule(student={OWN}),
    # Released results of the lukio group's survey: those who run surveys for the group
    # (principals and welfare professionals of the lukio or provider-wide, provider
    # admins) and the group's members (Aino is its student representative).
    "survey_results": rule(
        {(Role.PRINCIPAL, *WELFARE): IN_INSTITUTION}, admin=IN_PROVIDER, student={OWN}
    ),
    # Building and running the group's surveys: the same staff, not its student member.
    "survey_manage": rule({(Role.PRINCIPAL, *WELFARE): IN_INSTITUTION}, admin=IN_PROVIDER),
    # Announcements (issue 18): the recipients read, the writers of the unit manage.
    "announcement": rule({WRITERS: IN_INSTITUTION}, admin=IN_INSTITUTION, guardian={OWN, GROUP}),
    "announcement_manage": rule({WRITERS: IN_INSTITUTION}, admin=IN_INSTITUTION),
    # An event of the lukio for everyone of Aino's campus: the lukio's school staff, the
    # students of her campus and the guardians of minors there see it and register.
    "event": rule(
        {SCHOOL_STAFF: IN_INSTITUTION},
        admin=IN_INSTITUTION,
        student={OWN, GROUP, CAMPUS},
        guardian={OWN, GROUP},
        supervisor=True,
    ),
    # Attendance, the report, invitations: the writers of the unit (and the organiser
    # group's members, nobody here).
    "event_manage": rule({WRITERS: IN_INSTITUTION}, admin=IN_INSTITUTION),
    # Cancelling one's registration through the API: only Aino has one (404 without).
    "own_registration": rule(student={OWN}),
    # One's own subscription address of the communal calendar: Aino's, nobody else's.
    "own_calendar_feed": rule(student={OWN}),
    # --- communal spaces (issue 20) ------------------------------------------------------
    # A space on Aino's campus: every staff role covering the lukio (partners, external
    # members, too) sees and books it; the lukio's students see it (times, not names).
    "space": rule({STAFF_ROLES: IN_INSTITUTION}, student=LUKIO_STUDENTS, supervisor=True),
    "space_book": rule({STAFF_ROLES: IN_INSTITUTION}, supervisor=True),
    # Service hours, head counts, cancelling another's booking: the principal covering
    # the lukio and the provider admin; the community coordinator of the space's campus
    # (or of the whole lukio or provider), not of another campus.
    "space_manage": rule(
        {
            (Role.PRINCIPAL, Role.PROVIDER_ADMIN): IN_INSTITUTION,
            Role.COMMUNITY_COORDINATOR: REACHES_AINO,
        }
    ),
    # A development project of the lukio: every staff role covering it, partners too (and
    # its coordinator, Teemu, not a viewer here).
    "project": rule({STAFF_ROLES: IN_INSTITUTION}, supervisor=True),
    # --- organisations around the school (issue 20) ------------------------------------
    # Youth work working at Aino's campus, kept in the provider's register: every staff
    # role of the provider (partners too) reads it; not another provider, even of the
    # same county; students and guardians see only its public services, not the record.
    "organisation": rule({STAFF_ROLES: IN_PROVIDER}, supervisor=True),
    # Editing it: the provider admin and any principal of the provider (and the chair or
    # secretary of a provider-wide welfare group, nobody here).
    "organisation_manage": rule({(Role.PRINCIPAL, Role.PROVIDER_ADMIN): IN_PROVIDER}),
    # Recording it as the employer of role assignments: who manages the roles, the admin.
    "organisation_employ": rule(admin=IN_PROVIDER),
}

#: URL name → capability, for every URL pattern and API operation that takes an id.
#: A new one without a line here fails `test_every_id_url_has_a_rule`.
URLS: dict[str, str] = {
    "announcements:read": "announcement",
    "announcements:edit": "announcement_manage",
    "announcements:send": "announcement_manage",
    "announcements:unsubscribe": "public",
    "announcements:archive": "public",
    "events:event": "event",
    # The campaign of the same audience (everyone of Aino's campus): as its event.
    "events:campaign": "event",
    "events:register": "event",
    "events:cancel": "event",
    "events:attendance": "event_manage",
    "events:report": "event_manage",
    "events:invite": "event_manage",
    "events:feedback": "event_manage",
    "api:events-register": "event",
    "api:events-cancel": "own_registration",
    "events:calendar_feed_revoke": "own_calendar_feed",
    "events:calendar_feed": "public",
    "organisation:institution": "institution_page",
    "organisation:calendar": "calendar",
    "organisation:add_period": "calendar",
    "organisation:remove_period": "calendar",
    "organisation:student": "student",
    "organisation:group": "group_roster",
    "api:institution": "institution",
    "cases:moved_case_page": "public",
    "cases:refer_student": "refer",
    "cases:referral": "referral",
    "cases:student_notice": "referral",
    "cases:release_notice": "referral",
    "cases:open_case": "referral",
    "cases:close_referral": "referral",
    "records:case": "case",
    "cases:add_consent": "case_member",
    "cases:expert_group": "case_member",
    "cases:withdraw_consent": "case_member",
    "cases:withdraw_own_consent": "own_consent",
    "cases:own_consent": "own_consent",
    "cases:close": "case_responsible",
    "cases:responsible": "case_responsible",
    "cases:prohibition": "case_member",
    "cases:lift_prohibition": "case_responsible",
    "records:add_entry": "case_member",
    "records:amend": "case_member",
    "records:disclose": "case_member",
    "records:pdf": "own_data",
    "records:print": "case_member",
    "cases:end_membership": "case_responsible",
    "privacy:copy_pdf": "own_data",
    "privacy:copy_json": "own_data",
    "privacy:notice": "public",
    "privacy:answer": "register_admin",
    "privacy:end_restriction": "register_admin",
    "records:rectify": "rectify",
    "records:decide": "case_member",
    "api:cases-detail": "case",
    "api:records-case": "case",
    "appointments:cancel": "booking",
    "appointments:rebook": "booking",
    "appointments:booking_ics": "booking",
    "appointments:booking_held": "booking_staff",
    "appointments:booking_meeting": "booking_staff",
    "appointments:request_messages": "request",
    "appointments:request_write": "request_own",
    "appointments:request_detail": "request_staff",
    "appointments:request_urgency": "request_staff",
    "appointments:request_book": "request_staff",
    "appointments:request_close": "request_staff",
    "appointments:availability_remove": "own_hours",
    "appointments:exception_remove": "own_hours",
    "appointments:group_work_remove": "own_hours",
    "appointments:feed": "public",
    "procedures:detail": "procedure_staff",
    "procedures:confirm": "procedure_staff",
    "procedures:publish": "procedure_manage",
    "procedures:settings": "procedure_manage",
    "procedures:version_new": "procedure_manage",
    "procedures:version_edit": "procedure_manage",
    "procedures:version_discard": "procedure_manage",
    "procedures:version_approve": "procedure_manage",
    "procedures:attachment": "procedure_staff",
    "procedures:attachment_add": "procedure_manage",
    "procedures:attachment_remove": "procedure_manage",
    "incidents:detail": "incident",
    "incidents:refer": "incident",
    "incidents:anonymous": "public",
    "procedures:safety_record": "safety_record",
    "procedures:action_done": "safety_manage",
    "procedures:safety_actions": "safety_manage",
    "appointments:public_page": "public",
    "api:appointments-request": "request",
    "annualclock:clock": "clock",
    "annualclock:months": "clock",
    "annualclock:item": "clock",
    "annualclock:feeds": "clock",
    "annualclock:item_add": "clock_manage",
    "annualclock:item_edit": "clock_manage",
    "annualclock:item_adapt": "clock_adapt",
    "annualclock:feed_revoke": "own_feed",
    "annualclock:feed": "public",
    "api:annualclock-occurrences": "clock",
    "meetings:group": "welfare_group",
    "meetings:member_add": "welfare_group_manage",
    "meetings:member_remove": "welfare_group_manage",
    "meetings:standing_add": "welfare_group_manage",
    "meetings:highlight_add": "student_body",
    "meetings:meeting_new": "welfare_group_manage",
    "meetings:standing_raise": "welfare_group",
    "meetings:meeting": "welfare_group",
    "meetings:meeting_assemble": "welfare_group_manage",
    "meetings:agenda_add": "welfare_group_manage",
    "meetings:attendees": "welfare_group_manage",
    "meetings:meeting_publish": "welfare_group_manage",
    "meetings:meeting_pdf": "welfare_group",
    "meetings:item_minutes": "welfare_group_manage",
    "meetings:follow_up_add": "welfare_group_manage",
    "meetings:follow_up_done": "welfare_group_manage",
    "meetings:follow_up_send_down": "welfare_group_manage",
    "meetings:member_providers": "welfare_group_manage",
    "meetings:plan": "plan",
    "meetings:plan_draft": "plan_manage",
    "meetings:plan_evaluate": "plan_manage",
    "meetings:plan_version": "plan_comments",
    "meetings:plan_diff": "plan_comments",
    "meetings:plan_section_add": "plan_manage",
    "meetings:plan_open_comments": "plan_manage",
    "meetings:plan_comment": "plan_comments",
    "meetings:plan_participation": "plan_manage",
    "meetings:plan_approve": "plan_manage",
    "meetings:plan_section_edit": "plan_manage",
    "meetings:plan_announce": "plan_manage",
    "meetings:plan_public": "public",
    "meetings:regional_plan_public": "public",
    "meetings:regional_plan_new": "regional_plan_manage",
    "meetings:plan_reference_add": "regional_plan_manage",
    "meetings:plan_reference_remove": "regional_plan_manage",
    "insights:regional_comparison": "regional_plan",
    "meetings:indicator": "indicator",
    "meetings:indicator_data": "indicator_manage",
    "api:meetings-group": "welfare_group",
    "api:meetings-group-meetings": "welfare_group",
    "api:meetings-meeting": "welfare_group",
    "api:meetings-plan-public": "public",
    "imports:run": "imports",
    "api:imports-run": "imports",
    "insights:task": "group_individuals",
    "insights:task_acknowledge": "group_individuals",
    "insights:task_resolve": "group_individuals",
    "insights:group": "group_individuals",
    "front:supervisor_group": "group_individuals",
    "api:insights-task": "group_individuals",
    "surveys:answer": "survey_answer",
    "surveys:results": "survey_results",
    "surveys:results_csv": "survey_results",
    "surveys:results_pdf": "survey_results",
    "surveys:edit": "survey_manage",
    "surveys:open": "survey_manage",
    "surveys:close": "survey_manage",
    "surveys:release": "survey_manage",
    "surveys:screen": "survey_manage",
    "surveys:share": "survey_manage",
    "surveys:reschedule": "survey_manage",
    "api:surveys-respond": "survey_answer",
    "api:surveys-results": "survey_results",
    "spaces:space": "space",
    "spaces:book": "space_book",
    "spaces:usage": "space_book",
    "spaces:visits": "space_manage",
    "spaces:hours": "space_manage",
    "spaces:opening": "space_manage",
    "spaces:cancel": "space_manage",
    "api:spaces-bookings": "space",
    "api:spaces-book": "space_book",
    "projects:project": "project",
    "projects:results_pdf": "project",
    "api:projects-results": "project",
    "organisation:organisation": "organisation",
    "organisation:organisation_edit": "organisation_manage",
    "organisation:contact_add": "organisation_manage",
    "organisation:employer_set": "organisation_employ",
    "organisation:service_add": "organisation_manage",
    "organisation:agreement_add": "organisation_manage",
    "organisation:service_edit": "organisation_manage",
    "organisation:contact_remove": "organisation_manage",
    "organisation:service_remove": "organisation_manage",
    "organisation:agreement_remove": "organisation_manage",
}
