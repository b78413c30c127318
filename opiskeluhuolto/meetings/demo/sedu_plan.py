"""Demo: Sedu's welfare plan with its versions, participation and comments, and Luksia-like
indicators with data per campus and year (seeds 003 and 004)."""

from __future__ import annotations

from datetime import timedelta

from .. import plans
from ..models import DataPoint, Indicator

SEDU_PLAN_V1 = {
    "goals": "Opiskeluhuolto on kaikkien Sedussa työskentelevien tehtävä. Tavoitteena on edistää opiskelijoiden oppimista, hyvinvointia, terveyttä ja osallisuutta sekä ehkäistä ongelmia ennalta.",
    "need": "Opiskeluhuollon tarvetta arvioidaan Kouluterveyskyselyn, TEA-viisarin, Amisbarometrin ja Arvo-palautteiden sekä poissaolo- ja keskeyttämistietojen perusteella kampuksittain. Kuraattori- ja psykologipalvelut tuottaa Etelä-Pohjanmaan hyvinvointialue.",
    "communal": "Kampusten yhteisölliset opiskeluhuoltoryhmät kokoontuvat vuosikellon mukaisesti. Koulun aloitus ja ryhmäytyminen, Hyvinvointi virtaa -viikko ja liikkuva opiskelu vahvistavat yhteisöä.",
    "cooperation": "Kotiväenillat, Wilma-tiedotteet, opiskelijahyvinvoinnin uutiskirje ja huoltajakysely viikoilla 43–44. Opiskelijakunta Fokus ja kampusten opiskelijafoorumit ovat edustettuina ryhmissä.",
    "protection": "Kiusaamiskysely toteutetaan viikoilla 48–49. Kampusten turvallisuusryhmät järjestävät turvallisuuskävelyt ja sisälle suojautumisen harjoitukset tammi–maaliskuussa.",
    "self_monitoring": "Suunnitelman toteutumista seurataan ohjausryhmässä kerran lukukaudessa. Seurattavat mittarit: keskeyttämiset, yksinäisyyden kokemukset ja koettu hyvinvointi.",
}


def seed_plans(ctx) -> None:
    u, today = ctx.users, ctx.today
    admin = u["admin"]
    plan = plans.create_plan(
        by=admin,
        provider=ctx.providers["sedu"],
        title="Sedun opiskeluhuoltosuunnitelma",
        institutions=[ctx.institutions["sedu"]],
        extra_sections=["Poissaolojen seuranta", "Kriisisuunnitelma"],
    )
    v1 = plan.versions.get()
    for section in v1.sections.all():
        body = (
            SEDU_PLAN_V1.get(section.key)
            or {
                "Poissaolojen seuranta": "Vastuuohjaaja seuraa poissaoloja Wilmassa viikoittain ja käy huolenpitokeskustelun, kun poissaolot toistuvat.",
                "Kriisisuunnitelma": "Kampuksen kriisiryhmä kokoontuu viipymättä. Tiedottamisesta vastaa koulutuspäällikkö.",
            }[section.title]
        )
        plans.edit_section(section, by=admin, body=body, lock=section.version.lock)
        section.version.refresh_from_db()
    v1.refresh_from_db()
    plans.record_participation(
        v1,
        by=admin,
        participant="students",
        description="Opiskelijakunta Fokuksen hallitus kommentoi luonnosta",
        on=today - timedelta(days=800),
    )
    plans.record_participation(
        v1,
        by=admin,
        participant="guardians",
        description="Huoltajakyselyn avoimet vastaukset hyödynnettiin",
        on=today - timedelta(days=790),
    )
    plans.approve_and_publish(
        v1, by=admin, approved_on=today - timedelta(days=760), approved_by_body="Sedun hallitus"
    )
    plans.evaluate(
        plan,
        by=admin,
        written_on=today - timedelta(days=200),
        text="Kiusaamiskysely toteutui kaikilla kampuksilla viikoilla 48–49; vastausprosentti nousi. "
        "Yksinäisyyttä kokevien osuus laski, mutta on yhä yli tavoitteen.",
    )
    v2 = plans.new_draft(plan, by=admin)
    goals = v2.sections.get(key="self_monitoring")
    plans.edit_section(
        goals,
        by=admin,
        body=SEDU_PLAN_V1["self_monitoring"]
        + "\nUusi: mittareille asetetaan tavoitearvot (keskeyttämiset alle 8 %, yksinäisyyttä kokevia alle 10 %), ja tuloksia verrataan niihin vuosittain.",
        lock=v2.lock,
    )
    v2.refresh_from_db()
    v2 = plans.open_for_comments(v2, by=admin)
    plans.comment(
        v2,
        by=u["eero"],
        participant="students",
        text="Hiljainen tila olisi hyvä lisätä yhteisöllisiin toimiin.",
    )
    plans.comment(
        v2,
        by=u["huoltaja"],
        participant="guardians",
        text="Toivomme tietoa opiskeluhuollon palveluista myös ruotsiksi.",
    )
    plans.comment(
        v2, by=u["kuraattori"], participant="welfare", text="Tavoitearvot ovat realistisia."
    )

    etu = plans.create_plan(
        by=u["etu-admin"],
        provider=ctx.providers["helsinki"],
        title="Etu-Töölön lukion opiskeluhuoltosuunnitelma",
        institutions=[ctx.institutions["lukio"]],
        review_interval_months=48,
    )
    version = etu.versions.get()
    for section in version.sections.all():
        plans.edit_section(
            section,
            by=u["etu-admin"],
            lock=version.lock,
            body=f"{section.title}: Etu-Töölön lukiossa opiskeluhuolto on ensisijaisesti ennaltaehkäisevää yhteisöllistä työtä. Suunnitelma päivitetään kerran valtuustokaudessa.",
        )
        version.refresh_from_db()
    plans.approve_and_publish(
        version,
        by=u["etu-admin"],
        approved_on=today - timedelta(days=1400),
        approved_by_body="Kasvatuksen ja koulutuksen lautakunta",
    )


def seed_indicators(ctx) -> None:
    """Luksia-like goals (seed 004) with aggregate results per campus and year."""
    sedu_p, sedu = ctx.providers["sedu"], ctx.institutions["sedu"]
    rng = ctx.rng
    year = ctx.today.year
    specs = [
        (
            "keskeyttamiset",
            "Keskeyttäneiden ja eronneiden osuus",
            "Keskeytykset ja eroamiset vähenevät",
            "%",
            "lower",
            8.0,
            "register",
            11.5,
            -0.9,
            range(year - 4, year),
            False,
        ),
        (
            "yksinaisyys",
            "Yksinäisyyttä kokevien osuus",
            "Yksinäisyyden ja ostrakismin kokemukset vähenevät",
            "%",
            "lower",
            10.0,
            "khk",
            14.0,
            -1.0,
            range(year - 5, year, 2),
            True,
        ),
        (
            "hyvinvointi",
            "Koettu hyvinvointi (1–5)",
            "Koettu hyvinvointi on noussut",
            "1–5",
            "higher",
            4.0,
            "arvo",
            3.6,
            0.08,
            range(year - 4, year),
            True,
        ),
    ]
    campuses = [c for k, c in ctx.campuses.items() if k != "etu"]
    points = []
    for code, name, goal, unit, direction, target, source, base, step, years, surveyed in specs:
        indicator = Indicator.objects.create(
            provider=sedu_p,
            code=code,
            name=name,
            goal=goal,
            unit=unit,
            direction=direction,
            target=target,
            source=source,
        )
        for n, campus in enumerate(campuses):
            for i, y in enumerate(years):
                value = round(
                    base
                    + step * i
                    + rng.uniform(-0.6, 0.6) * (0.1 if unit == "1–5" else 1)
                    + n * (0.05 if unit == "1–5" else 0.4),
                    2,
                )
                respondents = rng.randint(60, 400) if surveyed else None
                if surveyed and campus.name.endswith("Kurikka") and i == 0:
                    respondents = 4  # a small cell: stored, never shown
                points.append(
                    DataPoint(
                        indicator=indicator,
                        institution=sedu,
                        campus=campus,
                        year=y,
                        value=value,
                        respondents=respondents,
                    )
                )
    DataPoint.objects.bulk_create(points)
