"""The welfare register's demo: cases in various states and their records, built through
the real actions (so the access log, consents and memberships are what the running system
would have made). Here, not in `cases`, because the records depend on the cases.

- Aino (16): an open case; Kaisa (kuraattori, responsible) and Sanna (ryhmänohjaaja)
  are its expert group, kuraattori2 is not. A meeting entry, the student's own
  wishes, an amendment; reads in the access log.
- a student whose consent was withdrawn; a closed case; an open referral waiting
  for the student notice;
- a minor with a guardian prohibition, whose guardian (sign-in `huoltaja2`) sees nothing.
"""

from __future__ import annotations

from datetime import timedelta

from opiskeluhuolto.cases import actions, expert_groups
from opiskeluhuolto.organisation.models import Guardianship, Student

from .. import actions as record_actions
from ..models import RetentionClass
from ..reading import read_record


def _consent(student, kaisa, today, members, **extra):
    return expert_groups.give_consent(
        student,
        recorded_by=kaisa,
        kind="expert_group",
        given_by="student",
        how="written",
        given_on=today,
        named_members=members,
        scope="Opiskelun tukeminen ja hyvinvointi",
        **extra,
    )


def _case(student, *, by, kaisa, today, members, subject, background, reason, with_student=True):
    referral = actions.file_referral(
        student, by=by, channel="staff", reason=reason, with_student=with_student
    )
    consent = _consent(student, kaisa, today, members)
    return expert_groups.open_case(
        referral,
        by=kaisa,
        subject=subject,
        background=background,
        consent=consent,
        members=members,
        responsible=kaisa,
    )


def seed(ctx) -> None:
    u, today = ctx.users, ctx.today
    kaisa, sanna, teemu = u["kuraattori"], u["ryhmanohjaaja"], u["opettaja"]
    aino = ctx.students["aino"]

    # Each provider decides its retention (LAW.md L-RET-1, L-906-7): examples, not law.
    RetentionClass.objects.bulk_create(
        [
            RetentionClass(
                provider_id=aino.institution.provider_id,
                document_type=document_type,
                years=years,
                start_event=start_event,
            )
            for document_type, years, start_event in (
                ("welfare_record", 10, "case_closed"),
                ("referral", 2, "received"),
                ("appointment_request", 2, "resolved"),
            )
        ]
    )

    # 1. Aino: open, with entries.
    case = _case(
        aino,
        by=teemu,
        kaisa=kaisa,
        today=today,
        members=[kaisa, sanna],
        subject="Poissaolot ja opiskelujen eteneminen",
        background="Opettaja otti yhteyttä: Ainolle on syksyn aikana kertynyt runsaasti "
        "poissaoloja aamutunneilta ja kaksi tutkinnon osaa on kesken. Aino on kertonut olevansa "
        "väsynyt, ja hän on suostunut asian käsittelyyn asiantuntijaryhmässä.",
        reason="Aino on ollut paljon poissa ja vaikuttaa väsyneeltä.",
        with_student=False,
    )
    entry = record_actions.add_entry(
        case,
        by=kaisa,
        kind="meeting",
        meeting_date=today,
        participants=[
            {"name": kaisa.display_name, "position": "kuraattori"},
            {"name": sanna.display_name, "position": "vastuuohjaaja"},
            {"name": aino.full_name, "position": "opiskelija"},
        ],
        decisions="Aino tapaa kuraattoria viikoittain. Opintosuunnitelmaa kevennetään jaksoksi.",
        plan="Tapaamiset tiistaisin klo 12. Vastuuohjaaja sopii opettajien kanssa rästitehtävistä.",
        implementers=f"{kaisa.display_name}, {sanna.display_name}",
        followers=kaisa.display_name,
        follow_up_on=today + timedelta(days=21),
    )
    record_actions.add_entry(
        case,
        by=kaisa,
        kind="student_view",
        text="Aino toivoo, että tapaamiset ovat koulupäivän aikana ja että opettajille "
        "kerrotaan vain tarpeellinen.",
    )
    record_actions.amend_entry(
        entry,
        by=sanna,
        text="Rästitehtävistä sovitaan kolmen opettajan kanssa, ei kaikkien.",
        reason="Tarkennus kokouksen päätökseen",
        expected_version=entry.version,
    )
    read_record(kaisa, case, purpose="case page")
    read_record(sanna, case, purpose="case page")
    seed_closed_rectification(ctx)

    sedu = aino.institution
    minors = list(
        Student.objects.filter(institution=sedu)
        .minors(today)
        .exclude(pk=aino.pk)
        .order_by("pk")[:5]
    )
    adults = list(
        Student.objects.filter(institution=sedu)
        .exclude(pk__in=[s.pk for s in minors] + [aino.pk, ctx.students["eero"].pk])
        .exclude(pk__in=Student.objects.minors(today).values("pk"))
        .order_by("pk")[:2]
    )
    if len(minors) < 3:
        return

    # 2. Consent withdrawn: the case closed, memberships ended, what was written stays.
    withdrawn = _case(
        minors[0],
        by=teemu,
        kaisa=kaisa,
        today=today,
        members=[kaisa, u["psykologi"]],
        subject="Jännittäminen esiintymistilanteissa",
        background="Opettaja huomasi, että opiskelija jää pois tunneilta, joilla on esityksiä. "
        "Opiskelija kertoi jännittävänsä esiintymistä niin paljon, että opinnot ovat "
        "viivästyneet.",
        reason="Opiskelija jännittää esityksiä niin, ettei tule tunneille.",
    )
    record_actions.add_entry(
        withdrawn, by=kaisa, kind="investigation", text="Keskustelu opiskelijan kanssa."
    )
    expert_groups.withdraw_consent(withdrawn.consents.get(), by=kaisa)

    # 3. Closed after the support ended.
    closed = _case(
        minors[1],
        by=u["erityisopettaja"],
        kaisa=kaisa,
        today=today,
        members=[kaisa],
        subject="Opiskelumotivaatio",
        background="Erityisopettajan mukaan opiskelijan tutkinnon osat eivät ole edenneet "
        "kahteen jaksoon, eikä hän ole palauttanut tehtäviä. Opiskelija toivoi apua "
        "opintojen suunnitteluun.",
        reason="Motivaatio hukassa, opinnot eivät etene.",
    )
    record_actions.add_entry(
        closed,
        by=kaisa,
        kind="measure",
        text="Kolme tapaamista; opiskelija löysi työssäoppimispaikan. Tuki päättyy.",
    )
    expert_groups.close_case(closed, by=kaisa)

    # 4. A guardian prohibition: the guardian (huoltaja2) sees nothing of it.
    protected = minors[2]
    huoltaja2 = ctx.sign_in(
        "huoltaja2",
        "huoltaja2",
        ctx.faker.first_name(),
        protected.last_name,
        role_text=f"guardian of {protected.first_name} (a §18 prohibition is in force)",
        try_text="sees nothing of the prohibited matter",
    )
    Guardianship.objects.create(guardian=huoltaja2, student=protected)
    prohibited = _case(
        protected,
        by=u["terveydenhoitaja"],
        kaisa=kaisa,
        today=today,
        members=[kaisa, u["terveydenhoitaja"]],
        subject="Kotitilanne",
        background="Opiskelija kertoi terveydenhoitajalle huolesta kotitilanteesta ja siitä, että "
        "hänen on vaikea keskittyä opiskeluun. Hän toivoi tukea koulun arkeen.",
        reason="Opiskelija kertoi huolesta kotona.",
    )
    actions.record_prohibition(
        protected,
        by=kaisa,
        reason="Opiskelija pelkää tilanteen kärjistyvän kotona, jos huoltaja saa tietää.",
        assessed_by=kaisa,
        assessor_profession="kuraattori, sosiaalihuollon ammattihenkilö",
        assessment="Kielto ei ole selvästi opiskelijan edun vastainen; tilannetta seurataan.",
        decided_on=today,
    )
    record_actions.add_entry(
        prohibited, by=kaisa, kind="investigation", text="Tilannekartoitus opiskelijan kanssa."
    )
    read_record(kaisa, prohibited, purpose="case page")

    # 5. Open referrals waiting: one without the student (notice due), one from outside.
    if len(minors) > 3:
        actions.file_referral(
            minors[3], by=teemu, channel="staff", reason="Opiskelija on vetäytynyt ryhmästä."
        )
    if adults:
        actions.file_referral(
            adults[0],
            by=kaisa,
            channel="external",
            reason="Etsivä nuorisotyö pyytää yhteydenottoa opiskelijaan.",
            referrer_description="Etsivä nuorisotyö, Seinäjoen kaupunki",
            with_student=True,
        )


def seed_closed_rectification(ctx) -> None:
    """Eero's closed case (LAW.md L-GDPR-3, L-20-2): after the case closed, Eero asked for two
    corrections. The register responsible person (`admin`) accepted the first, amending the
    entry; the second waits for `admin` on the access-log page."""
    from opiskeluhuolto.records import actions as record_actions

    eero, kaisa = ctx.students["eero"], ctx.users["kuraattori"]
    administration = eero.institution.provider.register_responsible
    if eero.user is None or administration is None:
        return
    case = _case(
        eero,
        by=kaisa,
        kaisa=kaisa,
        today=ctx.today,
        members=[kaisa],
        subject="Opintojen keskeytymisen uhka",
        background="Eero kertoi kuraattorille harkitsevansa opintojen keskeyttämistä, koska "
        "työvuorot ja opinnot eivät sovi yhteen ja opintopisteitä on kertynyt vähän.",
        reason="Eero harkitsee opintojen keskeyttämistä.",
    )
    entry = record_actions.add_entry(
        case,
        by=kaisa,
        kind="measure",
        text="Kaksi tapaamista. Eero jatkaa opintoja kevennetyllä suunnitelmalla kevään ajan.",
    )
    expert_groups.close_case(case, by=kaisa)
    first = record_actions.request_rectification(
        case, by=eero.user, text="Tapaamisia oli kolme, ei kaksi."
    )
    record_actions.decide_rectification(
        first,
        by=administration,
        accepted=True,
        decision="Kuraattorin kalenterin mukaan tapaamisia oli kolme; merkintä korjataan.",
    )
    record_actions.amend_entry(
        entry,
        by=administration,
        text="Kolme tapaamista. Eero jatkaa opintoja kevennetyllä suunnitelmalla kevään ajan.",
        reason="Opiskelijan oikaisupyyntö hyväksytty",
        expected_version=entry.version,
    )
    record_actions.request_rectification(
        case, by=eero.user, text="Suunnitelma kevennettiin koko lukuvuodeksi, ei vain kevääksi."
    )
