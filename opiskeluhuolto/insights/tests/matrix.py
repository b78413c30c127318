"""Permission matrix rows of knowledge-based management.

Aggregates: rehtori, welfare professionals and provider admins of their units
(the outsider is a kuraattori of another provider: their own units, hence 200).
Individuals and tasks: the group supervisor of the student's group only.
"""

from opiskeluhuolto.access.matrix import Row
from opiskeluhuolto.insights.actions import run_early_warning
from opiskeluhuolto.insights.models import CareTask


def setup(cast) -> None:
    if "care_task" in cast.__dict__:
        return
    run_early_warning(cast.lukio, today=cast.today)
    cast.__dict__["care_task"] = CareTask.objects.filter(student=cast.aino).order_by("pk").first()


AGGREGATES = {
    "*": 404,
    "anonymous": 302,
    "admin": 200,
    "rehtori": 200,
    "kuraattori": 200,
    "kuraattori_out": 200,
    "psykologi": 200,
    "nurse": 200,
    "outsider": 200,
}
AGGREGATES_API = {**AGGREGATES, "anonymous": 401}
STAFF = {"*": 200, "anonymous": 302, "student": 404, "adult": 404, "guardian": 404}
STAFF_API = {**STAFF, "anonymous": 401}
SUPERVISOR = {"*": 404, "anonymous": 302, "supervisor": 200}
SUPERVISOR_POST = {"*": 404, "anonymous": 302, "supervisor": 302}
SUPERVISOR_API = {"*": 404, "anonymous": 401, "supervisor": 200}

ROWS = [
    Row("insights:dashboard", AGGREGATES),
    Row("insights:export_csv", AGGREGATES, data=lambda c: {"chart": "trend"}),
    Row("insights:chart_svg", AGGREGATES, data=lambda c: {"chart": "trend"}),
    Row("insights:report_pdf", AGGREGATES),
    Row("insights:tasks", STAFF),
    Row("insights:task", SUPERVISOR, kwargs=lambda c: {"pk": c.care_task.pk}),
    Row(
        "insights:task_acknowledge",
        SUPERVISOR_POST,
        kwargs=lambda c: {"pk": c.care_task.pk},
        method="post",
        data=lambda c: {"version": 1},
    ),
    Row(
        "insights:task_resolve",
        SUPERVISOR_POST,
        kwargs=lambda c: {"pk": c.care_task.pk},
        method="post",
        data=lambda c: {
            "held_on": c.today.isoformat(),
            "agreed": "Sovittiin tapaaminen.",
            "version": 1,
        },
    ),
    Row("insights:group", SUPERVISOR, kwargs=lambda c: {"pk": c.group.pk}),
    Row("api:insights-trend", AGGREGATES_API),
    Row("api:insights-warnings", AGGREGATES_API),
    Row("api:insights-tasks", STAFF_API),
    Row("api:insights-task", SUPERVISOR_API, kwargs=lambda c: {"task_id": c.care_task.pk}),
    # The member providers' indicators compared, for the regional plan (meetings' matrix
    # objects): its readers (the regional group's members and the member provider's people,
    # not its external member); a provider's own plan has no comparison.
    Row(
        "insights:regional_comparison",
        {
            "*": 404,
            "anonymous": 302,
            **dict.fromkeys(
                (
                    "admin",
                    "rehtori",
                    "kuraattori",
                    "kuraattori_out",
                    "psykologi",
                    "nurse",
                    "teacher",
                    "supervisor",
                ),
                200,
            ),
        },
        kwargs=lambda c: {"pk": c.regional_plan.pk},
    ),
    Row(
        "insights:regional_comparison",
        {"*": 404, "anonymous": 302},
        kwargs=lambda c: {"pk": c.plan.pk},
    ),
]
