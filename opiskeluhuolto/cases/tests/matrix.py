"""Who reaches which page of individual welfare and the register (LAW.md L-21-2).

The case is Aino's: Kaisa (kuraattori, responsible) and Sanna (supervisor) are its
expert group, Paula (provider admin) is the register responsible person. Being
rehtori, teacher, psykologi or nurse at the same school gives nothing.
"""

from opiskeluhuolto.access.matrix import Row

from .story import meeting, onni_prohibited_case, open_aino_case

STAFF = (
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
    "outsider",
)
SIGNED_IN = STAFF + ("student", "adult", "guardian")


def only(*members, default=404, anonymous=302, status=200):
    return {"*": default, "anonymous": anonymous, **{m: status for m in members}}


#: Who sees Aino's case: its members, the register responsible person, Aino, her guardian.
CASE_READERS = ("admin", "kuraattori", "supervisor", "student", "guardian")
CASE_MEMBERS = ("kuraattori", "supervisor")
LUKIO_WELFARE = ("kuraattori", "psykologi", "nurse")


def setup(cast) -> None:
    from opiskeluhuolto.cases import actions
    from opiskeluhuolto.records import actions as record_actions

    if getattr(cast, "case", None) is not None:
        return
    cast.provider.register_responsible = cast.admin
    cast.provider.save(update_fields=["register_responsible"])
    cast.case = open_aino_case(cast)
    cast.consent = cast.case.consents.get()
    cast.entry = meeting(cast.case, cast.kuraattori)
    cast.open_referral = actions.file_referral(
        cast.aino, by=cast.teacher, channel="staff", reason="Uusi huoli"
    )
    # Onni (15) has forbidden his guardian; only Kaisa is in his expert group.
    cast.prohibition = onni_prohibited_case(cast).student.guardian_prohibitions.get()
    cast.rectification = record_actions.request_rectification(
        cast.case, by=cast.student, text="Tapaamisia on kahdesti viikossa."
    )
    cast.membership_without_role = _member_whose_role_ended(cast)


def _member_whose_role_ended(cast):
    """A youth worker added to Aino's group on a written consent, whose role then ended."""
    from datetime import timedelta

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.cases import expert_groups
    from opiskeluhuolto.organisation import actions as org_actions

    worker = User.objects.create_user(
        username="nuorisotyo", first_name="Nelli", last_name="Nuoriso"
    )
    org_actions.assign_role(
        worker,
        role="external_member",
        provider=cast.provider,
        institution=cast.lukio,
        campus=None,
        valid_from=cast.today - timedelta(days=30),
    )
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=cast.case,
        kind="participants",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=[worker],
    )
    membership = expert_groups.add_members(
        cast.case, by=cast.kuraattori, consent=consent, members=[worker]
    )[0]
    worker.role_assignments.update(valid_until=cast.today - timedelta(days=1))
    return membership


def case(c):
    return {"pk": c.case.pk}


def referral(c):
    return {"pk": c.open_referral.pk}


ROWS = [
    Row("cases:index", only(*SIGNED_IN)),
    # An external member is no staff of the school: no directory to refer from (L-16-1).
    Row("cases:refer", {**only(*STAFF), "external": 404}),
    Row(
        "cases:refer_student",
        # An external member is no staff of the school and has no directory (L-16-1).
        {**only(*STAFF), "kuraattori_out": 404, "outsider": 404, "external": 404},
        kwargs=lambda c: {"pk": c.aino.pk},
    ),
    Row("cases:self_refer", only("student", "adult")),
    Row("cases:referral", only("teacher", *LUKIO_WELFARE), kwargs=referral),
    Row("cases:student_notice", only(*LUKIO_WELFARE), kwargs=referral),
    Row("cases:release_notice", only(*LUKIO_WELFARE, status=302), kwargs=referral, method="post"),
    Row("cases:open_case", only(*LUKIO_WELFARE), kwargs=referral),
    Row("cases:close_referral", only(*LUKIO_WELFARE), kwargs=referral),
    Row("records:case", only(*CASE_READERS), kwargs=case),
    # The old address answers everyone with the same redirect; records:case decides.
    Row("cases:moved_case_page", only(default=301, anonymous=301), kwargs=case),
    Row("cases:add_consent", only(*CASE_MEMBERS), kwargs=case),
    Row("cases:expert_group", only(*CASE_MEMBERS), kwargs=case),
    Row("cases:withdraw_consent", only(*CASE_MEMBERS), kwargs=lambda c: {"pk": c.consent.pk}),
    Row("cases:own_consent", only("student"), kwargs=case),
    Row(
        "cases:withdraw_own_consent",
        only("student"),
        kwargs=lambda c: {"pk": c.consent.pk},
    ),
    Row("cases:close", only("kuraattori"), kwargs=case),
    Row("cases:responsible", only("kuraattori"), kwargs=case),
    Row("cases:prohibition", only(*CASE_MEMBERS), kwargs=case),
    Row("cases:lift_prohibition", only("kuraattori"), kwargs=lambda c: {"pk": c.prohibition.pk}),
    Row("records:add_entry", only(*CASE_MEMBERS), kwargs=case),
    Row("records:amend", only(*CASE_MEMBERS), kwargs=lambda c: {"pk": c.entry.pk}),
    Row("records:disclose", only(*CASE_MEMBERS), kwargs=case),
    Row(
        "cases:end_membership",
        only("kuraattori"),
        kwargs=lambda c: {"pk": c.membership_without_role.pk},
    ),
    Row("records:pdf", only("student", "guardian"), kwargs=case),
    Row("records:print", only(*CASE_MEMBERS), kwargs=case),
    Row("records:access_review", only("admin")),
    Row("records:rectify", only("student", "guardian"), kwargs=case),
    Row("records:decide", only(*CASE_MEMBERS), kwargs=lambda c: {"pk": c.rectification.pk}),
    Row("records:my_log", only("student", "adult", "guardian")),
    Row("records:access_log", only("admin")),
    Row("records:destruction", only("admin")),
    Row("api:cases-list", only(*SIGNED_IN, anonymous=401)),
    Row(
        "api:cases-detail",
        only(*CASE_READERS, anonymous=401),
        kwargs=lambda c: {"case_id": c.case.pk},
    ),
    Row(
        "api:records-case",
        only(*CASE_READERS, anonymous=401),
        kwargs=lambda c: {"case_id": c.case.pk},
    ),
]
