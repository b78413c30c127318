"""The wellbeing county's regional welfare plan (§13a, issue 20): its sections, versions and
references as plain functions, who reads and edits it, and its pages."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access import communal, for_user
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.meetings import actions, hierarchy, plans, regional_plan
from opiskeluhuolto.meetings.models import Group, PlanVersion, WelfarePlan
from opiskeluhuolto.meetings.models.plans import REGIONAL_SECTIONS
from opiskeluhuolto.meetings.panels import _plan_rows
from opiskeluhuolto.organisation.models import Institution, Provider, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def _person(username, provider, institution, role):
    user = User.objects.create(username=username, first_name=username.title(), last_name="L")
    RoleAssignment.objects.create(
        user=user,
        role=role,
        provider=provider,
        institution=institution,
        valid_from=date(2020, 1, 1),
    )
    return user


def _fill_and_publish(version, by):
    for section in version.sections.all():
        version.refresh_from_db()
        plans.edit_section(section, by=by, body=f"{section.title}: teksti.", lock=version.lock)
    version.refresh_from_db()
    return plans.approve_and_publish(
        version, by=by, approved_on=date(2026, 10, 1), approved_by_body="aluevaltuusto"
    )


@pytest.fixture
def region(cast):
    """The county's regional group: the cast's provider keeps it (chair Kaisa, the
    kuraattori; secretary Pekka), a neighbour of the same county a member provider (its
    principal Lasse a member, its teacher Tuula not); the neighbour's own plan, published."""
    admin = cast.users["admin"]
    neighbour = Provider.objects.create(
        name="Läänin kaupunki", wellbeing_county=cast.provider.wellbeing_county
    )
    inst = Institution.objects.create(
        provider=neighbour, name="Läänin lukio", slug="laani", level="upper_secondary"
    )
    lasse = _person("lasse", neighbour, inst, Role.PRINCIPAL)
    tuula = _person("tuula", neighbour, inst, Role.TEACHER)
    group = actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.REGIONAL,
        name="Alueellinen ryhmä",
        chair=cast.users["kuraattori"],
    )
    hierarchy.set_member_providers(group, [neighbour], by=admin)
    actions.add_member(group, by=admin, user=lasse, role="member")
    actions.add_member(group, by=admin, user=cast.users["psykologi"], role="secretary")
    neighbour_plan = plans.create_plan(
        by=lasse, provider=neighbour, title="Läänin lukion suunnitelma", institutions=[inst]
    )
    _fill_and_publish(neighbour_plan.versions.get(), lasse)
    own_plan = plans.create_plan(
        by=admin, provider=cast.provider, title="Lukion suunnitelma", institutions=[cast.lukio]
    )
    _fill_and_publish(own_plan.versions.get(), admin)
    far_plan = plans.create_plan(
        by=cast.users["outsider"],
        provider=cast.other_provider,
        title="Naapurikunnan suunnitelma",
        institutions=[cast.other_institution],
    )
    return {
        "group": group,
        "neighbour": neighbour,
        "inst": inst,
        "lasse": lasse,
        "tuula": tuula,
        "neighbour_plan": neighbour_plan,
        "own_plan": own_plan,
        "far_plan": far_plan,
    }


def test_the_regional_plan_has_the_sections_of_13a_and_one_per_group(cast, region):
    chair = cast.users["kuraattori"]
    plan = regional_plan.create_regional_plan(region["group"], by=chair, title="Alueen suunnitelma")
    assert plan.is_regional and plan.group == region["group"]
    assert plan.provider == cast.provider and not plan.institutions.exists()
    keys = [s.key for s in plan.versions.get().sections.order_by("order")]
    assert keys == [key for key, _label in REGIONAL_SECTIONS]
    assert "languages" in keys and "resources" in keys
    with pytest.raises(ValidationError):
        regional_plan.create_regional_plan(region["group"], by=chair, title="Toinen")
    steering = actions.create_group(
        by=cast.users["admin"], provider=cast.provider, kind=Group.Kind.STEERING, name="Ohjaus"
    )
    with pytest.raises(ValidationError):
        regional_plan.create_regional_plan(steering, by=chair, title="Ei alueellinen")


def test_references_member_plans_and_municipal_plans_with_shared_goals(cast, region):
    chair = cast.users["kuraattori"]
    plan = regional_plan.create_regional_plan(region["group"], by=chair, title="Alueen suunnitelma")
    v1 = plan.versions.get()
    assert set(regional_plan.member_plans(plan)) == {region["neighbour_plan"], region["own_plan"]}
    regional_plan.add_reference(
        v1,
        by=chair,
        kind="provider_plan",
        plan=region["neighbour_plan"],
        shared_goals=["Yksinäisyys vähenee", "Kiusaaminen vähenee"],
    )
    regional_plan.add_reference(
        v1,
        by=chair,
        kind="provider_plan",
        plan=region["own_plan"],
        shared_goals=["yksinäisyys  VÄHENEE"],
    )
    regional_plan.add_reference(
        v1,
        by=chair,
        kind="municipal",
        title="Läänin hyvinvointisuunnitelma",
        url="https://example.fi/hyvinvointi",
        shared_goals=["Yksinäisyys vähenee"],
    )
    # Not a member provider's plan; the same plan twice; a municipal plan without address.
    for bad in (
        {"kind": "provider_plan", "plan": region["far_plan"]},
        {"kind": "provider_plan", "plan": region["neighbour_plan"]},
        {"kind": "municipal", "title": "Ilman osoitetta"},
        {"kind": "other"},
    ):
        with pytest.raises(ValidationError):
            regional_plan.add_reference(v1, by=chair, **bad)
    refs = list(v1.references.all())
    assert [r.title for r in refs][0] == "Läänin kaupunki: Läänin lukion suunnitelma"
    shared = regional_plan.shared_goals(refs)
    assert shared[0].goal == "Yksinäisyys vähenee" and len(shared[0].shared_with) == 3
    assert [g.goal for g in shared[1:]] == ["Kiusaaminen vähenee"]
    # A member provider's plan is linked through its public page, a municipal one as given.
    assert regional_plan.reference_link(refs[0]) == reverse(
        "meetings:plan_public", args=[region["inst"].pk]
    )
    assert regional_plan.reference_link(refs[2]) == "https://example.fi/hyvinvointi"
    _fill_and_publish(v1, chair)
    # The published version is frozen; a new draft carries the references on.
    with pytest.raises(ValidationError):
        regional_plan.add_reference(v1, by=chair, kind="municipal", title="X", url="https://x.fi")
    with pytest.raises(ValidationError):
        regional_plan.remove_reference(refs[0], by=chair)
    v2 = plans.new_draft(plan, by=chair)
    assert [r.title for r in v2.references.all()] == [r.title for r in refs]
    regional_plan.remove_reference(v2.references.first(), by=chair)
    assert v2.references.count() == 2 and v1.references.count() == 3


def test_who_reads_and_edits_the_regional_plan(cast, region):
    chair, secretary = cast.users["kuraattori"], cast.users["psykologi"]
    plan = regional_plan.create_regional_plan(region["group"], by=chair, title="Alueen suunnitelma")
    v1 = plan.versions.get()
    tuula, lasse = region["tuula"], region["lasse"]
    admin, external, outsider = cast.users["admin"], cast.users["external"], cast.users["outsider"]
    # A draft: the group's members only; its chair and secretary edit it.
    assert for_user(lasse).view_plan_version(v1) and not for_user(lasse).manage_plan(plan)
    assert for_user(chair).manage_plan(plan) and for_user(secretary).manage_plan(plan)
    for user in (tuula, admin, external, outsider):
        assert not for_user(user).view_plan(plan)
        assert not for_user(user).manage_plan(plan)
    # The provider admin keeping the group's record does not edit the county's plan.
    assert not for_user(admin).manage_regional_plan(region["group"])
    v1 = _fill_and_publish(v1, chair)
    v2 = plans.new_draft(plan, by=chair)
    # Published: the member providers' people read it (not an external member, nor
    # anyone of another county); the draft stays the group's.
    for user in (tuula, admin, cast.users["teacher"], lasse):
        assert for_user(user).view_plan(plan) and for_user(user).view_plan_version(v1)
    assert not for_user(tuula).view_plan_version(v2)
    assert for_user(lasse).view_plan_version(v2)
    for user in (external, outsider):
        assert not for_user(user).view_plan(plan)
    # The home panel of plans: the draft only for the group's members.
    for user, draft in ((tuula, None), (lasse, v2)):
        rows = _plan_rows(SimpleNamespace(user=user), for_user(user))
        assert [(p, pub, d) for p, pub, d, _due in rows if p == plan] == [(plan, v1, draft)]
    # The list scope answers as the rule does, for everyone.
    for user in (chair, secretary, lasse, tuula, admin, external, outsider, cast.users["rehtori"]):
        scoped = set(communal.plans_visible_to(user))
        assert scoped == {p for p in WelfarePlan.objects.all() if for_user(user).view_plan(p)}
    # Through the regional plan nobody of the neighbour reaches the cast's own pages.
    assert not for_user(tuula).view_plan(region["own_plan"])
    assert not for_user(tuula).view_welfare_group(region["group"])


def test_pages_start_reference_and_read_the_regional_plan(cast, region):
    chair = cast.users["kuraattori"]
    group = region["group"]
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(chair)
    page = client.get(reverse("meetings:group", args=[group.pk]))
    assert "Aloita alueellinen opiskeluhuoltosuunnitelma" in page.content.decode()
    response = client.post(
        reverse("meetings:regional_plan_new", args=[group.pk]),
        {"title": "Etelä-Läänin alueellinen suunnitelma", "review_interval_months": 48},
    )
    plan = WelfarePlan.objects.get(group=group)
    draft = plan.versions.get()
    assert response.status_code == 302 and response.url == reverse(
        "meetings:plan_version", args=[draft.pk]
    )
    response = client.post(
        reverse("meetings:plan_reference_add", args=[draft.pk]),
        {
            "kind": "provider_plan",
            "plan": region["neighbour_plan"].pk,
            "shared_goals": "Hyvä\nKiva",
        },
    )
    assert response.status_code == 302 and draft.references.count() == 1
    # Bad input: a message in Finnish, nothing saved.
    response = client.post(
        reverse("meetings:plan_reference_add", args=[draft.pk]),
        {"kind": "municipal", "title": "Kunnan suunnitelma", "url": "ei osoite"},
        follow=True,
    )
    assert "Syötä oikea URL-osoite" in response.content.decode()
    assert draft.references.count() == 1
    page = client.get(reverse("meetings:plan_version", args=[draft.pk])).content.decode()
    assert "Läänin kaupunki: Läänin lukion suunnitelma" in page
    assert "Yhteiset tavoitteet" in page
    assert "Jäsenjärjestäjien indikaattorit rinnakkain" in page
    _fill_and_publish(draft, chair)
    tuula = Client(HTTP_ACCEPT_LANGUAGE="fi")
    tuula.force_login(region["tuula"])
    page = tuula.get(reverse("meetings:plan_version", args=[draft.pk])).content.decode()
    assert "Etelä-Läänin alueellinen suunnitelma" in page
    assert reverse("meetings:plan_public", args=[region["inst"].pk]) in page
    assert "Lisää viittaus" not in page  # a reader, not an editor
    assert tuula.get(reverse("meetings:plan", args=[plan.pk])).status_code == 200
    assert tuula.get(reverse("meetings:group", args=[group.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == PlanVersion.Status.PUBLISHED


def test_review_reminder_goes_to_the_regional_groups_chair_and_secretary(cast, region, mailoutbox):
    chair, secretary = cast.users["kuraattori"], cast.users["psykologi"]
    plan = regional_plan.create_regional_plan(region["group"], by=chair, title="Alueen suunnitelma")
    today = date(2026, 10, 1)
    plan.next_review_on = date(2026, 11, 1)
    plan.save(update_fields=["next_review_on"])
    assert plan in plans.plans_due_for_review(today)
    assert plans.remind_review(plan, today=today) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([chair.email, secretary.email])
    assert cast.users["admin"].email not in {m.to[0] for m in mailoutbox}
    plan.refresh_from_db()
    assert plan.review_reminded_on == today
    # The county's plan has its own wording: the regional group, §13a and §14a.
    regional_mail = mailoutbox[0]
    assert regional_mail.subject == (
        "Alueellinen opiskeluhuoltosuunnitelma on tarkistettava: Alueen suunnitelma"
    )
    assert "Alueellinen ryhmä" in regional_mail.body and "13 a §" in regional_mail.body
    # The provider's own plan still reminds its admins and principals, not the group.
    mailoutbox.clear()
    own = region["own_plan"]
    own.next_review_on = date(2026, 11, 1)
    own.save(update_fields=["next_review_on"])
    plans.remind_review(own, today=today)
    sent = {m.to[0] for m in mailoutbox}
    assert cast.users["admin"].email in sent and cast.users["rehtori"].email in sent
    assert secretary.email not in sent
    own_mail = mailoutbox[0]
    assert own_mail.subject.startswith("Opiskeluhuoltosuunnitelma on tarkistettava")
    assert "13 a §" not in own_mail.body and "alueellinen" not in own_mail.body.casefold()


def test_the_published_regional_plan_is_public_like_a_providers(cast, region):
    """The public page of the county's plan: only the published version, with what it is
    built on and the goals they share, readable without signing in."""
    chair = cast.users["kuraattori"]
    group = region["group"]
    plan = regional_plan.create_regional_plan(group, by=chair, title="Alueen suunnitelma")
    v1 = plan.versions.get()
    regional_plan.add_reference(
        v1,
        by=chair,
        kind="municipal",
        title="Läänin hyvinvointisuunnitelma",
        url="https://example.fi/hyvinvointi",
        shared_goals=["Yksinäisyys vähenee"],
    )
    url = reverse("meetings:regional_plan_public", args=[group.pk])
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="fi")
    assert anonymous.get(url).status_code == 404  # a draft is nobody's public page
    _fill_and_publish(v1, chair)
    page = anonymous.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    for shown in (
        "Alueen suunnitelma",
        "Alueellinen ryhmä",
        "aluevaltuusto",
        "Läänin hyvinvointisuunnitelma",
        "https://example.fi/hyvinvointi",
        "Yksinäisyys vähenee",
        "Yhteiset tavoitteet",
    ):
        assert shown in text, shown
    assert "Lisää viittaus" not in text and "Poista" not in text
    # A new draft changes nothing public until it is published.
    v2 = plans.new_draft(plan, by=chair)
    section = v2.sections.get(key="goals")
    plans.edit_section(section, by=chair, body="Uusi tavoite 2027.", lock=v2.lock)
    assert "Uusi tavoite 2027." not in anonymous.get(url).content.decode()
    v2.refresh_from_db()
    plans.approve_and_publish(
        v2, by=chair, approved_on=date(2026, 12, 1), approved_by_body="aluehallitus"
    )
    text = anonymous.get(url).content.decode()
    assert "Uusi tavoite 2027." in text and "aluehallitus" in text
    assert plans.published_version(group=group) == v2
    # The plan's page links to it; a group that is not regional has no public plan.
    staff = Client(HTTP_ACCEPT_LANGUAGE="fi")
    staff.force_login(chair)
    assert url in staff.get(reverse("meetings:plan", args=[plan.pk])).content.decode()
    steering = actions.create_group(
        by=cast.users["admin"], provider=cast.provider, kind=Group.Kind.STEERING, name="Ohjaus"
    )
    missing = reverse("meetings:regional_plan_public", args=[steering.pk])
    assert anonymous.get(missing).status_code == 404
