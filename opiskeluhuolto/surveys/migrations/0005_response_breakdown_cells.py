"""Apply the rule of what an anonymous survey's response carries (docs/surveys.md, "What a
response carries") to the surveys opened before it: their `BreakdownCell` rows (so that
an open survey's next responses keep their breakdown), and the responses and stored
counts already written: a campus or group that fewer than SMALL_CELL of the survey's
invitees share (or whose remainder would be such a cell) is set to NULL.

The invitees' campuses and groups are read as they are now (the ones at the time of
answering are not kept); a response whose stored (campus, group) is not a kept cell
keeps its campus when that is kept, nothing otherwise. Reversing keeps the NULLs: the
removed values are gone."""

from collections import Counter

from django.db import migrations

from opiskeluhuolto.surveys.models import SMALL_CELL


def _kept(sizes: dict) -> set:
    """The keys kept of {key or None: invitees}: at least SMALL_CELL each, and the
    smallest of them left out until the rest (None and the small ones) is 0 or at least
    SMALL_CELL, as `surveys.cells.kept` (a migration keeps its own copy of the rule)."""
    rest = sum(n for k, n in sizes.items() if k is None or n < SMALL_CELL)
    big = sorted((n, k) for k, n in sizes.items() if k is not None and n >= SMALL_CELL)
    kept, before = set(), 0
    for n, k in big:
        if not (rest > 0 and rest + before < SMALL_CELL):
            kept.add(k)
        before += n
    return kept


def kept_cells(invitees: list, record: dict) -> tuple[set, set]:
    """The campuses and (campus, group) cells a response may carry, as
    `surveys.cells.kept_cells`."""
    cells = Counter(record.get(uid, (None, None)) for uid in invitees)
    campuses: Counter = Counter()
    for (campus, _group), n in cells.items():
        campuses[campus] += n
    kept_campuses = _kept(campuses)
    kept_groups = set()
    for campus in kept_campuses:
        kept = _kept({g: n for (c, g), n in cells.items() if c == campus})
        kept_groups |= {(campus, g) for g in kept}
    return kept_campuses, kept_groups


def forwards(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Invitation = apps.get_model("surveys", "Invitation")
    Response = apps.get_model("surveys", "Response")
    ResultCount = apps.get_model("surveys", "ResultCount")
    Student = apps.get_model("organisation", "Student")
    BreakdownCell = apps.get_model("surveys", "BreakdownCell")
    anonymous = Survey.objects.filter(is_anonymous=True).exclude(status="draft")
    for survey_id, audience in anonymous.values_list("pk", "audience"):
        invited = Invitation.objects.filter(survey_id=survey_id).values("user_id")
        invitees = [row["user_id"] for row in invited]
        record = {
            uid: (campus, group)
            for uid, campus, group in Student.objects.filter(user_id__in=invited).values_list(
                "user_id", "campus_id", "group_id"
            )
        }
        kept_campuses, kept_groups = kept_cells(invitees, record)
        if audience == "students":
            BreakdownCell.objects.filter(survey_id=survey_id).delete()
            BreakdownCell.objects.bulk_create(
                [BreakdownCell(survey_id=survey_id, campus_id=c) for c in kept_campuses]
                + [
                    BreakdownCell(survey_id=survey_id, campus_id=c, student_group_id=g)
                    for c, g in kept_groups
                ]
            )
        stored = set(
            Response.objects.filter(survey_id=survey_id)
            .exclude(campus__isnull=True, student_group__isnull=True)
            .values_list("campus_id", "student_group_id")
        )
        stored |= set(
            ResultCount.objects.filter(survey_id=survey_id)
            .exclude(campus__isnull=True, student_group__isnull=True)
            .values_list("campus_id", "student_group_id")
        )
        for campus, group in stored:
            if (campus, group) in kept_groups:
                continue
            to = (campus, None) if campus in kept_campuses else (None, None)
            if to == (campus, group):
                continue
            for model in (Response, ResultCount):
                model.objects.filter(
                    survey_id=survey_id, campus_id=campus, student_group_id=group
                ).update(campus_id=to[0], student_group_id=to[1])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_breakdown_cells"),
        ("organisation", "0006_education_levels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
