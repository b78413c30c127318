"""The demo's procedures (toimintaohjeet): Finnish text with Swedish translations.

Written from the seeds: Sedu's welfare groups review "päivitettyjen toimintaohjeiden
läpikäyminen päivityksen jälkeen" and keep "Yksikön turvallisuus- ja päihdetilanne" as a
standing topic, its campuses have safety groups and safety plans, and walk the campus with
new students (003); Etu-Töölö's plan asks for "yhdessä laadittuja toimintamalleja,
suunnitelmia ja ennaltaehkäisevää työtä ongelma-, onnettomuus- ja kriisitilanteiden
hoitamista varten", absences prevented and acted on with the guardians (000). The absence
thresholds are the default example of /work/shared/data/absence-classes.md.
"""

from __future__ import annotations

from typing import Any


def step(text: str, role: str) -> dict:
    return {"text": text, "role": role}


BULLYING: dict[str, Any] = {
    "kind": "bullying",
    "title": "Kiusaaminen, väkivalta ja häirintä",
    "summary": (
        "Kiusaamiseen, väkivaltaan ja häirintään puututaan aina. Jokainen aikuinen, joka "
        "näkee tai kuulee tilanteesta, toimii heti ja kirjaa tapahtuman samana päivänä."
    ),
    "steps": [
        step("Keskeytä tilanne ja varmista, että kukaan ei ole vaarassa.", "havaitsija"),
        step(
            "Kirjaa tilanne järjestelmään samana päivänä (Ilmoita kiusaamis- tai "
            "turvallisuustilanteesta): mitä, missä, milloin, keitä oli mukana ja mitä teit heti.",
            "havaitsija",
        ),
        step(
            "Keskustele kiusatuksi joutuneen ja kiusaajaksi epäillyn kanssa erikseen kahden "
            "arkipäivän kuluessa.",
            "kuraattori",
        ),
        step(
            "Ilmoita alaikäisen opiskelijan huoltajille ja sovi, miten asiaa seurataan.",
            "kuraattori",
        ),
        step(
            "Jos teossa on merkkejä rikoksesta (pahoinpitely, seksuaalinen häirintä, uhkaus), "
            "ilmoita poliisille ja rehtorille.",
            "rehtori",
        ),
        step(
            "Seuraa tilannetta: seurantakeskustelu kahden viikon kuluessa; kirjaa seuranta ja "
            "sulje tapahtuma vasta sen jälkeen.",
            "kuraattori",
        ),
    ],
    "sv": {
        "title": "Mobbning, våld och trakasserier",
        "summary": (
            "Vi ingriper alltid i mobbning, våld och trakasserier. Varje vuxen som ser eller "
            "hör om en situation agerar genast och antecknar händelsen samma dag."
        ),
        "steps": [
            step("Avbryt situationen och se till att ingen är i fara.", "den som ser"),
            step(
                "Anteckna händelsen samma dag (Anmäl en händelse): vad, var, när, vem som "
                "var med och vad du gjorde genast.",
                "den som ser",
            ),
            step(
                "Samtala med den utsatta och den misstänkta var för sig inom två vardagar.",
                "kurator",
            ),
            step(
                "Informera vårdnadshavarna till en minderårig studerande och kom överens om "
                "uppföljningen.",
                "kurator",
            ),
            step(
                "Om det finns tecken på brott (misshandel, sexuella trakasserier, hot), "
                "anmäl till polisen och rektorn.",
                "rektor",
            ),
            step(
                "Följ upp: ett uppföljningssamtal inom två veckor; anteckna uppföljningen och "
                "stäng händelsen först därefter.",
                "kurator",
            ),
        ],
    },
}

CRISIS: dict[str, Any] = {
    "kind": "crisis",
    "title": "Kriisisuunnitelma",
    "summary": (
        "Äkillisessä kriisissä (kuolema, vakava onnettomuus, väkivallan uhka) toimimme "
        "yhdessä sovitulla tavalla. Kriisiryhmän kokoaa rehtori tai koulutuspäällikkö."
    ),
    "steps": [
        step("Hälytä apua: 112. Huolehdi ensiavusta ja turvallisuudesta.", "havaitsija"),
        step("Ilmoita rehtorille tai koulutuspäällikölle heti.", "havaitsija"),
        step(
            "Kokoa kriisiryhmä (rehtori, kuraattori, psykologi, terveydenhoitaja) saman päivän "
            "aikana ja sovi tiedottamisesta.",
            "rehtori",
        ),
        step(
            "Tiedota henkilöstölle, opiskelijoille ja huoltajille sovitun viestin mukaan; "
            "medialle vastaa vain rehtori.",
            "rehtori",
        ),
        step(
            "Järjestä keskusteluapu opiskelijoille ja henkilöstölle; ohjaa tarvittaessa "
            "hyvinvointialueen kriisipalveluihin.",
            "kuraattori ja psykologi",
        ),
        step("Arvioi toiminta opiskeluhuoltoryhmässä kuukauden kuluessa.", "opiskeluhuoltoryhmä"),
    ],
    "sv": {
        "title": "Krisplan",
        "summary": (
            "Vid en plötslig kris (dödsfall, allvarlig olycka, hot om våld) agerar vi på det "
            "sätt vi har kommit överens om. Rektorn samlar krisgruppen."
        ),
    },
}

SUBSTANCE: dict[str, Any] = {
    "kind": "substance",
    "title": "Päihteiden käyttö",
    "summary": (
        "Päihteiden hallussapito ja käyttö oppilaitoksessa ja sen tilaisuuksissa on kielletty. "
        "Puutumme varhain ja ohjaamme tukeen: tavoite on opiskelijan terveys, ei rangaistus."
    ),
    "steps": [
        step(
            "Jos epäilet opiskelijan olevan päihtynyt, ohjaa hänet pois opetuksesta "
            "turvalliseen paikkaan; älä jätä häntä yksin.",
            "havaitsija",
        ),
        step("Ilmoita terveydenhoitajalle ja koulutuspäällikölle samana päivänä.", "havaitsija"),
        step(
            "Terveydenhoitaja arvioi tilanteen ja tarvittaessa ohjaa hoitoon; alaikäisen "
            "huoltajille ilmoitetaan samana päivänä.",
            "terveydenhoitaja",
        ),
        step(
            "Keskustele opiskelijan kanssa seuraavana päivänä ja sovi tuesta "
            "(päihdetyöntekijä, nuorten päihdepalvelut).",
            "terveydenhoitaja ja kuraattori",
        ),
        step("Seuraa sovittua tukea kolmen viikon kuluttua.", "kuraattori"),
    ],
    "sv": {
        "title": "Bruk av rusmedel",
        "summary": (
            "Det är förbjudet att inneha och använda rusmedel i läroanstalten och vid dess "
            "evenemang. Vi ingriper tidigt och hänvisar till stöd."
        ),
    },
}

ABSENCES: dict[str, Any] = {
    "kind": "absences",
    "title": "Poissaolot ja niihin puuttuminen",
    "summary": (
        "Poissaoloja seurataan päivittäin. Selvittämättömät poissaolot selvitetään viikon "
        "kuluessa; toistuvista poissaoloista keskustellaan opiskelijan ja huoltajan kanssa."
    ),
    "steps": [
        step(
            "Merkitse poissaolot Wilmaan oppitunnin aikana (terveydellinen syy, ennalta "
            "anottu vapaa, luvaton tai selvittämätön, myöhästyminen).",
            "opettaja",
        ),
        step(
            "Selvittämätön poissaolo selvitetään viikon kuluessa; alaikäisen poissaolon "
            "selvittää huoltaja.",
            "ryhmänohjaaja",
        ),
        step(
            "30 tuntia: viesti opiskelijalle ja huoltajalle, ryhmänohjaaja ottaa yhteyttä.",
            "ryhmänohjaaja",
        ),
        step(
            "50 tuntia: keskustelu opiskelijan (ja huoltajan) kanssa; sovitaan tuesta.",
            "ryhmänohjaaja ja kuraattori",
        ),
        step(
            "70 tuntia: erityisopettaja ja rehtori mukaan; tarvittaessa monialainen "
            "asiantuntijaryhmä opiskelijan suostumuksella.",
            "rehtori",
        ),
    ],
    "sv": {
        "title": "Frånvaro och hur vi ingriper",
        "summary": (
            "Frånvaro följs upp dagligen. Outredd frånvaro utreds inom en vecka; upprepad "
            "frånvaro diskuteras med den studerande och vårdnadshavaren."
        ),
        "steps": [
            step(
                "Anteckna frånvaron i Wilma under lektionen (hälsoskäl, beviljad ledighet, "
                "olovlig eller outredd, försening).",
                "lärare",
            ),
            step(
                "Outredd frånvaro utreds inom en vecka; för en minderårig utreder "
                "vårdnadshavaren frånvaron.",
                "grupphandledare",
            ),
            step(
                "30 timmar: meddelande till den studerande och vårdnadshavaren, "
                "grupphandledaren tar kontakt.",
                "grupphandledare",
            ),
            step(
                "50 timmar: samtal med den studerande (och vårdnadshavaren); vi kommer "
                "överens om stöd.",
                "grupphandledare och kurator",
            ),
            step(
                "70 timmar: specialläraren och rektorn kopplas in; vid behov en "
                "sektorsövergripande expertgrupp med den studerandes samtycke.",
                "rektor",
            ),
        ],
    },
}


def campus_safety(campus_name: str) -> dict[str, Any]:
    return {
        "kind": "safety",
        "title": f"Kampuksen turvallisuus- ja kriisisuunnitelma, {campus_name}",
        "summary": (
            "Kampuksen turvallisuusryhmä pitää suunnitelman ajan tasalla, järjestää "
            "turvallisuuskävelyt ja sisälle suojautumis- ja poistumisharjoitukset."
        ),
        "steps": [
            step(
                "Sisälle suojautuminen: kuulutus tai tekstiviesti. Lukitse ovi, sammuta valot, "
                "pysy poissa ikkunoiden ja oven näkyvistä, hiljennä puhelimet.",
                "jokainen",
            ),
            step(
                "Poistuminen: ohjaa ryhmäsi lähintä turvallista reittiä kokoontumispaikalle "
                "(pysäköintialue P2) ja tarkista, että kaikki ovat paikalla.",
                "opettaja",
            ),
            step(
                "Ilmoita kokoontumispaikalla puuttuvista turvallisuusryhmän edustajalle.",
                "opettaja",
            ),
            step(
                "Turvallisuuskävely uusien opiskelijoiden kanssa syyskuussa; sisälle "
                "suojautumisharjoitus tammi–maaliskuussa.",
                "turvallisuusryhmä",
            ),
            step(
                "Harjoituksen havainnot ja korjaavat toimet kirjataan; vastuuhenkilö ja "
                "määräpäivä jokaiselle.",
                "turvallisuusryhmä",
            ),
        ],
        "sv": {
            "title": f"Campusets säkerhets- och krisplan, {campus_name}",
            "summary": (
                "Campusets säkerhetsgrupp håller planen aktuell och ordnar säkerhetsrundor "
                "och övningar i att skydda sig inomhus och utrymning."
            ),
        },
    }
