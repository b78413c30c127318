"""The survey templates that ship with the project, from the seeds' annual clocks.

Sedu (seed 003): the guardian survey (weeks 43–44, results in November at the
earliest), the bullying survey (weeks 48–49, results in January at the earliest), the
safety survey (11.2.); feedback after an event (Hyvinvointi virtaa -viikko); Luksia
(seed 004): loneliness and belonging; a lukio's student feedback on welfare services.

Plain data: `actions.create_from_template` copies a template into a draft survey,
which the builder then edits freely.
"""

from __future__ import annotations


def _t(fi: str, sv: str, en: str) -> dict:
    return {"fi": fi, "sv": sv, "en": en}


AGREE = [
    {"value": 1, **_t("Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree")},
    {"value": 2, **_t("Jokseenkin eri mieltä", "Delvis av annan åsikt", "Somewhat disagree")},
    {"value": 3, **_t("En osaa sanoa", "Kan inte säga", "Cannot say")},
    {"value": 4, **_t("Jokseenkin samaa mieltä", "Delvis av samma åsikt", "Somewhat agree")},
    {"value": 5, **_t("Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree")},
]
HOW_OFTEN = [
    {"value": 1, **_t("Ei kertaakaan", "Inte en enda gång", "Not at all")},
    {"value": 2, **_t("Kerran tai pari", "En eller ett par gånger", "Once or twice")},
    {"value": 3, **_t("Noin kerran viikossa", "Ungefär en gång i veckan", "About once a week")},
    {"value": 4, **_t("Useita kertoja viikossa", "Flera gånger i veckan", "Several times a week")},
]
YES_NO = [
    {"value": 1, **_t("Kyllä", "Ja", "Yes")},
    {"value": 0, **_t("Ei", "Nej", "No")},
]


def likert(fi, sv, en, **kw) -> dict:
    return {"kind": "likert", "text": _t(fi, sv, en), "options": AGREE, **kw}


def choice(fi, sv, en, options, **kw) -> dict:
    return {"kind": "choice", "text": _t(fi, sv, en), "options": options, **kw}


def text(fi, sv, en) -> dict:
    return {"kind": "text", "text": _t(fi, sv, en), "required": False}


TEMPLATES: dict[str, dict] = {
    "guardian": {
        "title": _t("Huoltajakysely", "Vårdnadshavarenkät", "Guardian survey"),
        "intro": _t(
            "Kysely alaikäisten opiskelijoiden huoltajille kodin ja oppilaitoksen yhteistyöstä. "
            "Vastaat nimettömästi.",
            "Enkät till vårdnadshavare för minderåriga studerande om samarbetet mellan hem och "
            "läroanstalt. Du svarar anonymt.",
            "A survey for the guardians of minor students on home–school cooperation. "
            "You answer anonymously.",
        ),
        "audience": "guardians",
        "clock_title": "Huoltajakysely",
        "questions": [
            likert(
                "Saan riittävästi tietoa nuoreni opintojen etenemisestä.",
                "Jag får tillräckligt med information om hur den unga framskrider i studierna.",
                "I get enough information about how my young person's studies progress.",
            ),
            likert(
                "Tiedän, kehen otan yhteyttä, jos olen huolissani nuoresta.",
                "Jag vet vem jag ska kontakta om jag är orolig för den unga.",
                "I know whom to contact if I am worried about my young person.",
            ),
            likert(
                "Nuoreni viihtyy oppilaitoksessa.",
                "Den unga trivs i läroanstalten.",
                "My young person is comfortable at the institution.",
            ),
            choice(
                "Osallistuitko kotiväenillaan tänä lukuvuonna?",
                "Deltog du i föräldrakvällen detta läsår?",
                "Did you attend the parents' evening this school year?",
                YES_NO,
            ),
            text(
                "Miten kodin ja oppilaitoksen yhteistyötä voisi parantaa?",
                "Hur kunde samarbetet mellan hem och läroanstalt förbättras?",
                "How could home–school cooperation be improved?",
            ),
        ],
    },
    "bullying": {
        "title": _t("Kiusaamiskysely", "Enkät om mobbning", "Bullying survey"),
        "intro": _t(
            "Kysymme kiusaamisesta ja häirinnästä viimeisen kuukauden aikana. Vastaat nimettömästi; "
            "jos tarvitset apua nyt, ota yhteyttä kuraattoriin.",
            "Vi frågar om mobbning och trakasserier under den senaste månaden. Du svarar anonymt; "
            "om du behöver hjälp nu, kontakta kuratorn.",
            "We ask about bullying and harassment during the last month. You answer anonymously; "
            "if you need help now, contact the school social worker.",
        ),
        "audience": "students",
        "clock_title": "Kiusaamiskysely",
        "questions": [
            choice(
                "Kuinka usein sinua on kiusattu oppilaitoksessa viimeisen kuukauden aikana?",
                "Hur ofta har du blivit mobbad i läroanstalten under den senaste månaden?",
                "How often have you been bullied at the institution during the last month?",
                HOW_OFTEN,
                indicator_code="kiusatuksi-kk",
                indicator_values=[2, 3, 4],
            ),
            choice(
                "Oletko nähnyt, että jotakuta toista kiusataan?",
                "Har du sett att någon annan blir mobbad?",
                "Have you seen someone else being bullied?",
                HOW_OFTEN,
            ),
            choice(
                "Kerroitko kiusaamisesta jollekulle aikuiselle oppilaitoksessa?",
                "Berättade du om mobbningen för någon vuxen i läroanstalten?",
                "Did you tell an adult at the institution about the bullying?",
                YES_NO,
                required=False,
            ),
            likert(
                "Kiusaamiseen puututaan oppilaitoksessani.",
                "Man ingriper i mobbning i min läroanstalt.",
                "Bullying is dealt with at my institution.",
            ),
            text(
                "Mitä oppilaitos voisi tehdä kiusaamisen ehkäisemiseksi?",
                "Vad kunde läroanstalten göra för att förebygga mobbning?",
                "What could the institution do to prevent bullying?",
            ),
        ],
    },
    "safety": {
        "title": _t("Turvallisuuskysely", "Säkerhetsenkät", "Safety survey"),
        "intro": _t(
            "Kysely oppilaitoksen turvallisuudesta opiskelijoille. Vastaat nimettömästi.",
            "En enkät om säkerheten i läroanstalten för studerande. Du svarar anonymt.",
            "A survey for students on safety at the institution. You answer anonymously.",
        ),
        "audience": "students",
        "clock_title": "Turvallisuuskysely",
        "questions": [
            likert(
                "Tunnen oloni turvalliseksi oppilaitoksessa.",
                "Jag känner mig trygg i läroanstalten.",
                "I feel safe at the institution.",
            ),
            likert(
                "Tiedän, miten toimin hätätilanteessa.",
                "Jag vet hur jag ska agera i en nödsituation.",
                "I know what to do in an emergency.",
            ),
            choice(
                "Oletko kohdannut uhkaavaa käytöstä oppilaitoksessa tänä lukuvuonna?",
                "Har du mött hotfullt beteende i läroanstalten detta läsår?",
                "Have you faced threatening behaviour at the institution this school year?",
                YES_NO,
            ),
            text(
                "Missä tai milloin et tunne oloasi turvalliseksi?",
                "Var eller när känner du dig inte trygg?",
                "Where or when do you not feel safe?",
            ),
        ],
    },
    "event_feedback": {
        "title": _t("Palaute tapahtumasta", "Respons på evenemanget", "Event feedback"),
        "intro": _t(
            "Kerro, miten tapahtuma onnistui (esim. Hyvinvointi virtaa -viikko).",
            "Berätta hur evenemanget lyckades (t.ex. veckan Hyvinvointi virtaa).",
            "Tell us how the event went (e.g. the Hyvinvointi virtaa week).",
        ),
        "audience": "students",
        "clock_title": "",
        "questions": [
            likert(
                "Tapahtuma oli minulle hyödyllinen.",
                "Evenemanget var nyttigt för mig.",
                "The event was useful for me.",
            ),
            choice(
                "Kuinka todennäköisesti osallistuisit uudelleen?",
                "Hur sannolikt är det att du skulle delta igen?",
                "How likely would you take part again?",
                [
                    {"value": 1, **_t("En todennäköisesti", "Knappast", "Unlikely")},
                    {"value": 2, **_t("Ehkä", "Kanske", "Maybe")},
                    {"value": 3, **_t("Todennäköisesti", "Sannolikt", "Likely")},
                ],
            ),
            text(
                "Mikä oli parasta, ja mitä tekisit toisin?",
                "Vad var bäst, och vad skulle du göra annorlunda?",
                "What was best, and what would you do differently?",
            ),
        ],
    },
    "welfare_services": {
        "title": _t(
            "Palaute opiskeluhuollon palveluista",
            "Respons på elevvårdstjänsterna",
            "Feedback on student welfare services",
        ),
        "intro": _t(
            "Opiskelijoiden palaute kuraattori-, psykologi- ja terveydenhoitajapalveluista "
            "sekä yhteisöllisyydestä (Luksian yksinäisyys- ja kuulumiskysymykset).",
            "Studerandes respons på kurators-, psykolog- och hälsovårdartjänster samt gemenskap.",
            "Students' feedback on the social worker, psychologist and nurse services and on "
            "belonging (Luksia's loneliness and belonging questions).",
        ),
        "audience": "students",
        "clock_title": "",
        "questions": [
            likert(
                "Tiedän, miten saan ajan kuraattorille, psykologille tai terveydenhoitajalle.",
                "Jag vet hur jag får tid hos kurator, psykolog eller hälsovårdare.",
                "I know how to get an appointment with the social worker, psychologist or nurse.",
            ),
            likert(
                "Sain apua, kun tarvitsin sitä.",
                "Jag fick hjälp när jag behövde det.",
                "I got help when I needed it.",
                required=False,
            ),
            choice(
                "Kuinka usein tunnet itsesi yksinäiseksi oppilaitoksessa?",
                "Hur ofta känner du dig ensam i läroanstalten?",
                "How often do you feel lonely at the institution?",
                HOW_OFTEN,
                indicator_code="yksinaisyys",
                indicator_values=[3, 4],
            ),
            likert(
                "Tunnen kuuluvani ryhmääni.",
                "Jag känner att jag hör till min grupp.",
                "I feel I belong to my group.",
            ),
            {
                "kind": "number",
                "text": _t(
                    "Montako kertaa olet käyttänyt opiskeluhuollon palveluja tänä lukuvuonna?",
                    "Hur många gånger har du använt elevvårdstjänster detta läsår?",
                    "How many times have you used welfare services this school year?",
                ),
                "minimum": 0,
                "maximum": 50,
                "required": False,
            },
            text(
                "Terveiset opiskeluhuollolle",
                "Hälsningar till elevvården",
                "A message to student welfare",
            ),
        ],
    },
}


def names() -> list[tuple[str, str]]:
    """(key, title in the user's language) of every template, for the builder's menu."""
    from .models import pick

    return [(key, pick(t["title"])) for key, t in TEMPLATES.items()]
