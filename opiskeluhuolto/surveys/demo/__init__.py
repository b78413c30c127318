"""Demo surveys on Sedu's annual clock (issue 16).

- the guardian survey (weeks 43–44), the safety survey (11.2.) and the feedback after
  Hyvinvointi virtaa -viikko: drafts tied to their clock items, ready for the next time;
- the bullying survey (weeks 48–49) of the last completed round: opened, answered by the
  Sedu students (seeded answers through `actions.submit` and mixed as in real use,
  so both sides are written exactly as in real use), closed and released. Its first question feeds the
  indicator "kiusatuksi-kk" on the welfare plan's goals page, and the released results
  are on the Sedu welfare group's agenda inbox. One campus answered too little: its cell
  is suppressed, and with it another one (differencing);
- the welfare-services feedback of Sedu Seinäjoki, OPEN NOW: Aino (`opiskelija`) has not
  answered yet and sees it on her home page.

Students sign in through the school's identity provider in real use; the demo gives the
Sedu students accounts without a password so that they can be invited (an invitation is
per person). Runs after the meetings demo (app order), whose groups and indicators it uses.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.annualclock import recurrence
from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings import goals
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.demo.cast import UNUSABLE, DemoContext
from opiskeluhuolto.organisation.models import Student

from .. import actions
from ..models import Question, Survey, TextAnswer

#: The most seeded respondents of the released survey (keeps a 20,000-student demo quick).
MAX_RESPONDENTS = 600
BULLYING_TEXTS = [
    ("Enemmän yhteistä tekemistä välitunneille, niin kukaan ei jää yksin.", True),
    ("Opettajat voisivat puuttua nimittelyyn heti.", True),
    ("Kiusaamisesta pitäisi voida kertoa nimettömästi.", True),
    ("Ryhmäytymistä myös toisena opiskeluvuonna.", True),
    ("Ruokalan jonoissa tapahtuu eniten, sinne valvontaa.", True),
    ("Yksi ryhmämme opiskelija on kiusannut minua koko syksyn autokorjaamolla.", False),
    ("Hyvä että tällaista kysytään.", True),
]
SERVICES_TEXTS = ["Kiitos kuraattorille!", "Terveydenhoitajan vastaanotolle pääsi nopeasti."]


def _item(provider, title: str) -> ClockItem | None:
    return (
        ClockItem.objects.filter(clock__provider=provider, clock__parent__isnull=True, title=title)
        .order_by("pk")
        .first()
    )


def _last_round(item: ClockItem, today: date) -> tuple[date, date, date] | None:
    """The latest occurrence that has ended and whose results are due by `today`."""
    found = recurrence.occurrences(item.rule, today - timedelta(days=800), today)
    for occ in reversed(found):
        results_on = actions.results_date(item.results_due, occ.end + timedelta(days=1))
        if occ.end < today and results_on <= today:
            return occ.start, occ.end, results_on
    return None


def _student_accounts(ctx: DemoContext) -> None:
    """A sign-in account (no password) for every Sedu student who has none."""
    missing = list(
        Student.objects.filter(institution=ctx.institutions["sedu"], user__isnull=True).order_by(
            "pk"
        )
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"opiskelija-{s.pk}",
                first_name=s.first_name,
                last_name=s.last_name,
                email=s.email,
                password=UNUSABLE,
            )
            for s in missing
        ],
        batch_size=2000,
    )
    for s, u in zip(missing, users, strict=True):
        s.user = u
    Student.objects.bulk_update(missing, ["user"], batch_size=2000)


def _answers(survey: Survey, rng: random.Random, *, weights: dict | None = None) -> dict:
    """Plausible answers to every question of `survey` ({question id: value})."""
    data: dict = {}
    for q in survey.questions.all():
        if not q.required and rng.random() < 0.4:
            continue
        values = q.option_values()
        if q.kind == Question.Kind.TEXT:
            continue  # the free texts are added separately, a few of them
        if q.kind == Question.Kind.NUMBER:
            data[str(q.pk)] = rng.choice([0, 0, 1, 1, 2, 3, 5])
        elif q.kind == Question.Kind.MULTI:
            data[str(q.pk)] = rng.sample(values, k=rng.randint(1, 2))
        else:
            w = (weights or {}).get(q.position) or [1] * len(values)
            data[str(q.pk)] = rng.choices(values, weights=w)[0]
    return data


def _text_question(survey: Survey) -> Question | None:
    return survey.questions.filter(kind=Question.Kind.TEXT).first()


def _released_bullying(ctx: DemoContext, group: Group, by, rng: random.Random) -> Survey | None:
    sedu_p = ctx.providers["sedu"]
    item = _item(sedu_p, "Kiusaamiskysely (Sedun oma)")
    if item is None:
        return None
    window = _last_round(item, ctx.today)
    if window is None:
        return None
    opens_on, closes_on, results_on = window
    if not goals.Indicator.objects.filter(provider=sedu_p, code="kiusatuksi-kk").exists():
        goals.create_indicator(
            sedu_p,
            by=ctx.users["admin"],
            code="kiusatuksi-kk",
            name="Kiusatuksi tulleiden osuus viimeisen kuukauden aikana",
            goal="Kiusaaminen vähenee",
            unit="%",
            direction="lower",
            target=10.0,
            source="own",
        )
    survey = actions.create_from_template(
        "bullying",
        group,
        by=by,
        audience=Survey.Audience.STUDENTS,
        institution=ctx.institutions["sedu"],
        clock_item=item,
    )
    actions.set_window(survey, opens_on=opens_on, closes_on=closes_on, results_on=results_on)
    survey = actions.open_survey(survey, by=by, today=opens_on)
    # Who answered: most students, but the last campus hardly at all (a suppressed cell).
    students = list(
        Student.objects.active()
        .filter(institution=ctx.institutions["sedu"], user__isnull=False)
        .exclude(user__username__in=["opiskelija", "aikuisopiskelija"])
        .select_related("campus")
        .order_by("pk")
    )
    campuses = sorted({s.campus_id for s in students if s.campus_id})
    small = campuses[-1] if len(campuses) >= 2 else None
    respondents, small_taken = [], 0
    for s in students:
        if s.campus_id == small:
            if small_taken < 3:
                respondents.append(s)
                small_taken += 1
        elif rng.random() < 0.75:
            respondents.append(s)
    # "How often bullied": mostly never; about one in ten once or twice or more.
    weights = {1: [82, 11, 4, 3], 2: [60, 28, 8, 4]}
    text_q = _text_question(survey)
    for n, s in enumerate(respondents[:MAX_RESPONDENTS]):
        data = _answers(survey, rng, weights=weights)
        if text_q is not None and n < len(BULLYING_TEXTS):
            data[str(text_q.pk)] = BULLYING_TEXTS[n][0]
        actions.submit(survey, s.user, data, today=opens_on)
    # Closed (its window has passed): the sheets still waiting are mixed into the answer
    # side (actions.mixing), then a person has screened the free texts: the identifying
    # one stays hidden.
    actions.close_survey(survey, by=by, today=ctx.today)
    shown = dict(BULLYING_TEXTS)
    for answer in TextAnswer.objects.filter(question__survey=survey):
        actions.screen_text(answer, show=shown.get(answer.text, False), by=by)
    actions.release(survey, by=by, today=ctx.today)
    return survey


def _draft_for_item(ctx, key: str, item: ClockItem | None, group: Group, by, **fields) -> None:
    """A draft from the template, its window from the clock item's next occurrence."""
    owner = item.owner_group if item is not None and item.owner_group else group
    survey = actions.create_from_template(key, owner, by=by, **fields)
    if item is not None:
        actions.window_from_item(survey, item, today=ctx.today)


def _event_feedback(ctx, item: ClockItem | None, group: Group, by) -> None:
    survey = actions.create_from_template(
        "event_feedback", group, by=by, institution=ctx.institutions["sedu"]
    )
    if item is None:
        return
    found = recurrence.occurrences(item.rule, ctx.today, date(ctx.today.year + 2, 12, 31))
    if found:
        end = found[0].end
        survey.clock_item = item
        survey.save(update_fields=["clock_item"])
        actions.set_window(
            survey, opens_on=end + timedelta(days=1), closes_on=end + timedelta(days=8)
        )


def _open_services(ctx: DemoContext, group: Group, by, rng: random.Random) -> Survey:
    survey = actions.create_from_template(
        "welfare_services",
        group,
        by=by,
        audience=Survey.Audience.STUDENTS,
        campus=ctx.campuses["seinajoki"],
    )
    survey.title = {
        "fi": "Palaute opiskeluhuollon palveluista, Sedu Seinäjoki",
        "sv": "Respons på elevvårdstjänsterna, Sedu Seinäjoki",
        "en": "Feedback on student welfare services, Sedu Seinäjoki",
    }
    survey.save(update_fields=["title"])
    today = ctx.today
    actions.set_window(
        survey, opens_on=today - timedelta(days=4), closes_on=today + timedelta(days=10)
    )
    survey = actions.open_survey(survey, by=by, today=today)
    others = survey.invitations.exclude(
        user__username__in=["opiskelija", "aikuisopiskelija"]
    ).select_related("user")
    text_q = _text_question(survey)
    texts = list(SERVICES_TEXTS)
    for invitation in others:
        if rng.random() < 0.35:
            data = _answers(survey, rng)
            if text_q is not None and texts:
                data[str(text_q.pk)] = texts.pop()
            actions.submit(survey, invitation.user, data, today=today)
    return survey


def seed(ctx: DemoContext) -> None:
    sedu_p = ctx.providers["sedu"]
    rng = random.Random(2026 + 16)  # own stream: the later seeders' data stays as it was
    kuraattori = ctx.users["kuraattori"]
    sedu_group = Group.objects.get(provider=sedu_p, name="Sedun opiskeluhuoltoryhmä")
    campus_group = Group.objects.get(
        provider=sedu_p, kind=Group.Kind.CAMPUS, campus=ctx.campuses["seinajoki"]
    )
    _student_accounts(ctx)
    sedu = ctx.institutions["sedu"]
    _draft_for_item(
        ctx,
        "guardian",
        _item(sedu_p, "Huoltajakysely (Sedun oma)"),
        sedu_group,
        kuraattori,
        institution=sedu,
    )
    _draft_for_item(
        ctx,
        "safety",
        _item(sedu_p, "Turvallisuuskysely"),
        sedu_group,
        kuraattori,
        institution=sedu,
    )
    _event_feedback(ctx, _item(sedu_p, "Hyvinvointi virtaa -viikko"), sedu_group, kuraattori)
    _released_bullying(ctx, sedu_group, kuraattori, rng)
    _open_services(ctx, campus_group, kuraattori, rng)
