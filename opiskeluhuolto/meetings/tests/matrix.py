"""Who reaches communal welfare: the lukio's welfare group (chair rehtori, secretary
kuraattori, external member Jari, student representative Aino), its meetings, the
lukio's welfare plan and the provider's indicators."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opiskeluhuolto.access.matrix import Row

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
AUTHENTICATED = STAFF + ("student", "adult", "guardian")
# The lukio welfare group: staff of the lukio, provider-wide roles, and its members.
GROUP_VIEWERS = (
    "admin",
    "rehtori",
    "kuraattori",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
    "student",
)
GROUP_MANAGERS = ("admin", "rehtori", "kuraattori")
PLAN_VIEWERS = ("admin", "rehtori", "kuraattori", "psykologi", "nurse", "teacher", "supervisor")
INDICATOR_VIEWERS = PLAN_VIEWERS + ("kuraattori_out",)
# The published regional plan (§13a): the regional group's members (Kaisa chairs it) and
# the people of its member provider (the cast's provider), not its external member, nor
# anyone of another provider; its drafts: the group's members; editing: Kaisa.
REGIONAL_READERS = INDICATOR_VIEWERS


def only(members, status=200, anonymous=302, default=404):
    return {"*": default, "anonymous": anonymous, **{m: status for m in members}}


def post_only(members=AUTHENTICATED):
    """A POST-only page answers GET with 405 to those its policy lets in."""
    return only(members, status=405)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def setup(cast):
    from opiskeluhuolto.meetings import actions, goals, plans, regional_plan
    from opiskeluhuolto.meetings.models import Group, Indicator

    u, admin = cast.users, cast.users["admin"]
    g = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Etu-Töölön lukion opiskeluhuoltoryhmä",
        institution=cast.lukio,
        chair=u["rehtori"],
    )
    actions.add_member(g, by=admin, user=u["kuraattori"], role="secretary")
    cast.external_membership = actions.add_member(
        g, by=admin, user=u["external"], role="external", represents="nuorisotyö"
    )
    actions.add_member(g, by=admin, user=u["student"], role="student_rep")
    actions.add_standing_item(g, by=admin, title="Ajankohtaiset asiat", kind="every")
    cast.as_needed = actions.add_standing_item(
        g, by=admin, title="Kriisisuunnitelma", kind="as_needed"
    )
    body = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.STUDENT_BODY,
        name="Opiskelijakunta",
        institution=cast.lukio,
    )
    actions.add_member(body, by=admin, user=u["student"], role="student_rep")
    if hasattr(cast, "clock"):
        cast.clock.groups.add(g)
    past = cast.today - timedelta(days=14)
    published = actions.schedule_meeting(
        g, by=u["rehtori"], starts_at=_at(past, 13), ends_at=_at(past, 14)
    )
    actions.publish_minutes(published, by=u["rehtori"])
    soon = cast.today + timedelta(days=7)
    meeting = actions.schedule_meeting(
        g, by=u["rehtori"], starts_at=_at(soon, 13), ends_at=_at(soon, 14)
    )
    cast.welfare_group, cast.student_body = g, body
    cast.meeting, cast.published_meeting = meeting, published
    cast.agenda_item = meeting.items.first()
    cast.follow_up = actions.add_follow_up(
        cast.agenda_item, by=u["kuraattori"], title="Selvitys", owner=u["kuraattori"], due_on=soon
    )
    # The county's regional group (issue 20): the provider keeps its record; only its
    # members (Kaisa chairs it) and the provider's admin see it, no role by place.
    cast.regional_group = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.REGIONAL,
        name="Alueellinen opiskeluhuollon ryhmä",
        chair=u["kuraattori"],
    )
    plan = plans.create_plan(
        by=admin,
        provider=cast.provider,
        title="Opiskeluhuoltosuunnitelma",
        institutions=[cast.lukio],
    )
    v1 = plan.versions.get()
    for section in v1.sections.all():
        v1.refresh_from_db()
        plans.edit_section(section, by=admin, body=f"{section.title}: teksti.", lock=v1.lock)
    plans.approve_and_publish(v1, by=admin, approved_on=cast.today, approved_by_body="lautakunta")
    v2 = plans.open_for_comments(plans.new_draft(plan, by=admin), by=admin)
    cast.plan, cast.plan_draft, cast.plan_section = plan, v2, v2.sections.first()
    chair = u["kuraattori"]
    rp = regional_plan.create_regional_plan(
        cast.regional_group, by=chair, title="Alueellinen opiskeluhuoltosuunnitelma"
    )
    r1 = rp.versions.get()
    for section in r1.sections.all():
        r1.refresh_from_db()
        plans.edit_section(section, by=chair, body=f"{section.title}: teksti.", lock=r1.lock)
    regional_plan.add_reference(r1, by=chair, kind="provider_plan", plan=plan, shared_goals=["A"])
    plans.approve_and_publish(r1, by=chair, approved_on=cast.today, approved_by_body="aluehallitus")
    cast.regional_plan, cast.regional_published = rp, r1
    cast.regional_draft = plans.new_draft(rp, by=chair)
    cast.regional_reference = cast.regional_draft.references.get()
    cast.indicator = Indicator.objects.create(
        provider=cast.provider,
        code="yksinaisyys",
        name="Yksinäisyys",
        unit="%",
        direction="lower",
        target=10,
        source="khk",
    )
    goals.set_data_point(
        cast.indicator,
        by=admin,
        institution=cast.lukio,
        campus=None,
        year=2025,
        value=12.5,
        respondents=120,
    )


group = lambda c: {"pk": c.welfare_group.pk}  # noqa: E731
meeting = lambda c: {"pk": c.meeting.pk}  # noqa: E731
version = lambda c: {"pk": c.plan_draft.pk}  # noqa: E731

ROWS = [
    Row("meetings:group_new", only(("admin",))),
    Row("meetings:plan_new", only(("admin",))),
    Row("meetings:indicator_new", only(("admin",))),
    Row("meetings:groups", only(AUTHENTICATED)),
    Row("meetings:group", only(GROUP_VIEWERS), kwargs=group),
    Row("meetings:member_add", post_only(), kwargs=group),
    Row(
        "meetings:member_remove",
        post_only(),
        kwargs=lambda c: {"pk": c.external_membership.pk},
    ),
    Row("meetings:standing_add", post_only(), kwargs=group),
    Row(
        "meetings:standing_add",
        only(GROUP_MANAGERS, status=302, anonymous=302),
        kwargs=group,
        method="post",
        data=lambda c: {"title": "Uusi asia", "kind": "every"},
    ),
    Row(
        "meetings:highlight_add",
        only(("admin", "rehtori", "student")),
        kwargs=lambda c: {"pk": c.student_body.pk},
    ),
    Row("meetings:meeting_new", only(GROUP_MANAGERS), kwargs=group),
    Row("meetings:standing_raise", post_only(), kwargs=lambda c: {"pk": c.as_needed.pk}),
    Row(
        "meetings:standing_raise",
        only(GROUP_VIEWERS, status=302),
        kwargs=lambda c: {"pk": c.as_needed.pk},
        method="post",
        data=lambda c: {"raised": "1"},
    ),
    Row("meetings:meeting", only(GROUP_VIEWERS), kwargs=meeting),
    Row("meetings:meeting_assemble", post_only(), kwargs=meeting),
    Row(
        "meetings:meeting_assemble", only(GROUP_MANAGERS, status=302), kwargs=meeting, method="post"
    ),
    Row("meetings:agenda_add", post_only(), kwargs=meeting),
    Row("meetings:attendees", post_only(), kwargs=meeting),
    Row("meetings:meeting_publish", post_only(), kwargs=meeting),
    Row(
        "meetings:meeting_pdf", only(GROUP_VIEWERS), kwargs=lambda c: {"pk": c.published_meeting.pk}
    ),
    # The planned meeting has no PDF yet: 404 for everyone.
    Row("meetings:meeting_pdf", only(()), kwargs=meeting),
    Row("meetings:item_minutes", only(GROUP_MANAGERS), kwargs=lambda c: {"pk": c.agenda_item.pk}),
    Row("meetings:follow_up_add", post_only(), kwargs=lambda c: {"pk": c.agenda_item.pk}),
    Row("meetings:follow_up_done", post_only(), kwargs=lambda c: {"pk": c.follow_up.pk}),
    Row(
        "meetings:follow_up_done",
        only(GROUP_MANAGERS, status=302),
        kwargs=lambda c: {"pk": c.follow_up.pk},
        method="post",
    ),
    Row("meetings:follow_up_send_down", post_only(), kwargs=lambda c: {"pk": c.follow_up.pk}),
    # No group chosen: a message and back to the group page (managers); 404 for the rest.
    Row(
        "meetings:follow_up_send_down",
        only(GROUP_MANAGERS, status=302),
        kwargs=lambda c: {"pk": c.follow_up.pk},
        method="post",
    ),
    Row(
        "meetings:group",
        only(("admin", "kuraattori")),
        kwargs=lambda c: {"pk": c.regional_group.pk},
    ),
    Row("meetings:member_providers", post_only(), kwargs=group),
    # The lukio's group is no regional group: 400 for its managers, 404 for the rest.
    Row(
        "meetings:member_providers",
        only(GROUP_MANAGERS, status=400),
        kwargs=group,
        method="post",
        data=lambda c: {"providers": [c.provider.pk]},
    ),
    Row(
        "meetings:member_providers",
        only(("admin", "kuraattori"), status=302),
        kwargs=lambda c: {"pk": c.regional_group.pk},
        method="post",
        data=lambda c: {"providers": [c.provider.pk]},
    ),
    Row(
        "meetings:regional_plan_new",
        only(("kuraattori",), status=302),
        kwargs=lambda c: {"pk": c.regional_group.pk},
    ),
    # The lukio's group is no regional group: nobody starts a regional plan for it.
    Row("meetings:regional_plan_new", only(()), kwargs=group),
    Row(
        "meetings:plan_reference_add",
        post_only(),
        kwargs=lambda c: {"pk": c.regional_draft.pk},
    ),
    Row(
        "meetings:plan_reference_add",
        only(("kuraattori",), status=302),
        kwargs=lambda c: {"pk": c.regional_draft.pk},
        method="post",
        data=lambda c: {
            "kind": "municipal",
            "title": "Lasten ja nuorten hyvinvointisuunnitelma",
            "url": "https://example.fi/hyvinvointisuunnitelma",
            "shared_goals": "Yksinäisyys vähenee",
        },
    ),
    Row(
        "meetings:plan_reference_remove",
        post_only(),
        kwargs=lambda c: {"pk": c.regional_reference.pk},
    ),
    Row(
        "meetings:plan_reference_remove",
        only(("kuraattori",), status=302),
        kwargs=lambda c: {"pk": c.regional_reference.pk},
        method="post",
    ),
    Row("meetings:plans", only(STAFF)),
    Row("meetings:plan", only(PLAN_VIEWERS), kwargs=lambda c: {"pk": c.plan.pk}),
    Row("meetings:plan_draft", post_only(STAFF), kwargs=lambda c: {"pk": c.plan.pk}),
    Row("meetings:plan_evaluate", post_only(STAFF), kwargs=lambda c: {"pk": c.plan.pk}),
    Row(
        "meetings:plan_evaluate",
        only(("admin", "rehtori"), status=302),
        kwargs=lambda c: {"pk": c.plan.pk},
        method="post",
        data=lambda c: {"written_on": "2026-11-01", "text": "Toteutui hyvin."},
    ),
    # A draft open for comments: staff of the lukio, its student and the guardian of a minor there.
    Row("meetings:plan_version", only(PLAN_VIEWERS + ("student", "guardian")), kwargs=version),
    Row("meetings:plan_diff", only(PLAN_VIEWERS + ("student", "guardian")), kwargs=version),
    Row("meetings:plan_section_add", post_only(STAFF), kwargs=version),
    Row("meetings:plan_open_comments", post_only(STAFF), kwargs=version),
    Row("meetings:plan_comment", post_only(), kwargs=version),
    Row(
        "meetings:plan_comment",
        only(PLAN_VIEWERS + ("student", "guardian"), status=302),
        kwargs=version,
        method="post",
        data=lambda c: {"text": "Hyvä luonnos."},
    ),
    Row("meetings:plan_participation", post_only(STAFF), kwargs=version),
    Row("meetings:plan_approve", post_only(STAFF), kwargs=version),
    Row(
        "meetings:plan_section_edit",
        only(("admin", "rehtori")),
        kwargs=lambda c: {"pk": c.plan_section.pk},
    ),
    Row(
        "meetings:plan_announce", post_only(STAFF), kwargs=lambda c: {"institution_pk": c.lukio.pk}
    ),
    Row("meetings:plan_public", {"*": 200}, kwargs=lambda c: {"institution_pk": c.lukio.pk}),
    Row("meetings:plan_public", {"*": 404}, kwargs=lambda c: {"institution_pk": c.amis.pk}),
    # The county's published regional plan is public too (§13a); the lukio's group is no
    # regional group, so it has no public plan.
    Row(
        "meetings:regional_plan_public",
        {"*": 200},
        kwargs=lambda c: {"group_pk": c.regional_group.pk},
    ),
    Row(
        "meetings:regional_plan_public",
        {"*": 404},
        kwargs=lambda c: {"group_pk": c.welfare_group.pk},
    ),
    Row("meetings:indicators", only(STAFF)),
    Row("meetings:indicators_import", only(("admin",))),
    Row("meetings:indicator", only(INDICATOR_VIEWERS), kwargs=lambda c: {"pk": c.indicator.pk}),
    Row(
        "meetings:indicator_data",
        only(("admin",), status=405),
        kwargs=lambda c: {"pk": c.indicator.pk},
    ),
    # The regional plan on the plan's own pages (after the lukio's rows: the distance test
    # asks the first row of each URL).
    Row(
        "meetings:plan",
        only(REGIONAL_READERS),
        kwargs=lambda c: {"pk": c.regional_plan.pk},
    ),
    Row(
        "meetings:plan_version",
        only(REGIONAL_READERS),
        kwargs=lambda c: {"pk": c.regional_published.pk},
    ),
    Row(
        "meetings:plan_version",
        only(("kuraattori",)),
        kwargs=lambda c: {"pk": c.regional_draft.pk},
    ),
    Row("api:meetings-groups", only(AUTHENTICATED, anonymous=401)),
    Row(
        "api:meetings-group",
        only(GROUP_VIEWERS, anonymous=401),
        kwargs=lambda c: {"group_id": c.welfare_group.pk},
    ),
    Row(
        "api:meetings-group-meetings",
        only(GROUP_VIEWERS, anonymous=401),
        kwargs=lambda c: {"group_id": c.welfare_group.pk},
    ),
    Row(
        "api:meetings-meeting",
        only(GROUP_VIEWERS, anonymous=401),
        kwargs=lambda c: {"meeting_id": c.meeting.pk},
    ),
    Row("api:meetings-plan-public", {"*": 200}, kwargs=lambda c: {"institution_id": c.lukio.pk}),
]
