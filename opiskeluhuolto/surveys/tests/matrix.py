"""Who reaches the survey pages. The lukio's welfare group (meetings/tests/matrix.py) owns
two surveys: one open now that Aino (a member of no audience but the list she is on) may
answer, and one whose results are released. Results: those who run surveys for the group
(its members, the principal, the welfare professionals of the lukio, provider admins)."""

from datetime import timedelta

from opiskeluhuolto.access.matrix import Row

SIGNED_IN = (
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
    "student",
    "adult",
    "guardian",
    "outsider",
)
#: The group's members (Riitta chairs, Kaisa, the external member, Aino) and the lukio's
#: principal and welfare professionals, provider admins.
RESULTS = ("admin", "rehtori", "kuraattori", "psykologi", "nurse", "external", "student")
#: Those who run the group's surveys: its chair and secretary, the lukio's principal and
#: welfare professionals, provider admins.
MANAGE = ("admin", "rehtori", "kuraattori", "psykologi", "nurse")
STAFF = ("admin", "rehtori", "kuraattori", "kuraattori_out", "psykologi", "nurse", "teacher",
         "supervisor", "external", "outsider")  # fmt: skip


def setup(cast):
    from opiskeluhuolto.surveys import actions
    from opiskeluhuolto.surveys.models import Survey

    group, k = cast.welfare_group, cast.users["kuraattori"]
    answer = actions.create_from_template(
        "event_feedback", group, by=k, institution=cast.lukio, is_anonymous=False
    )
    actions.set_window(answer, opens_on=cast.today, closes_on=cast.today + timedelta(days=7))
    cast.survey = actions.open_survey(answer, by=k, invitees=[cast.users["student"]])
    done = actions.create_from_template(
        "safety", group, by=k, institution=cast.lukio, is_anonymous=False
    )
    actions.set_window(done, opens_on=cast.today, closes_on=cast.today)
    actions.open_survey(done, by=k, invitees=[cast.users["student"]])
    past = cast.today - timedelta(days=10)
    Survey.objects.filter(pk=done.pk).update(
        opens_on=past, closes_on=past, results_on=cast.today - timedelta(days=1)
    )
    cast.released_survey = actions.release(done, by=k, today=cast.today)


answer = lambda c: {"pk": c.survey.pk}  # noqa: E731
released = lambda c: {"pk": c.released_survey.pk}  # noqa: E731


def manage_post(name, kwargs=released):
    return Row(
        name,
        {"*": 404, "anonymous": 302, **dict.fromkeys(MANAGE, 302)},
        kwargs=kwargs,
        method="post",
    )


ROWS = [
    Row("surveys:new", {"*": 404, "anonymous": 302, **dict.fromkeys(STAFF, 200)}),
    Row("surveys:edit", {"*": 404, "anonymous": 302, **dict.fromkeys(MANAGE, 200)}, kwargs=answer),
    Row(
        "surveys:reschedule",
        {"*": 404, "anonymous": 302, **dict.fromkeys(MANAGE, 200)},
        kwargs=answer,
    ),
    manage_post("surveys:open", answer),
    manage_post("surveys:close", answer),
    manage_post("surveys:release"),
    manage_post("surveys:screen"),
    manage_post("surveys:share"),
    Row(
        "surveys:results_csv",
        {"*": 404, "anonymous": 302, **dict.fromkeys(RESULTS, 200)},
        kwargs=released,
    ),
    Row(
        "surveys:results_pdf",
        {"*": 404, "anonymous": 302, **dict.fromkeys(RESULTS, 200)},
        kwargs=released,
    ),
    Row("surveys:list", {"*": 200, "anonymous": 302}),
    Row("surveys:answer", {"*": 404, "anonymous": 302, "student": 200}, kwargs=answer),
    Row(
        "surveys:results",
        {"*": 404, "anonymous": 302, **dict.fromkeys(RESULTS, 200)},
        kwargs=released,
    ),
    Row("api:surveys-open", {"*": 200, "anonymous": 401}),
    Row(
        "api:surveys-respond",
        {"*": 404, "anonymous": 401, "student": 400},
        kwargs=lambda c: {"survey_id": c.survey.pk},
        method="post",
    ),
    Row(
        "api:surveys-results",
        {"*": 404, "anonymous": 401, **dict.fromkeys(RESULTS, 200)},
        kwargs=lambda c: {"survey_id": c.released_survey.pk},
    ),
]
