"""The weekly summaries keyed by (student, week) itself: one index fewer for every import.

Django cannot turn an existing table's primary key into a composite one, so the
summaries move to a new table with the same name and their rows are copied over.
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = (
    "student_id, week, institution_id, campus_id, group_id, lessons, present, health, "
    "leave, excused, unexplained, late, school_activity, marked_days, absent_days"
)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_attendance_day"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="weeklyabsence", name="imports_weekly_inst_idx"),
        migrations.RemoveIndex(model_name="weeklyabsence", name="imports_weekly_campus_idx"),
        migrations.RemoveIndex(model_name="weeklyabsence", name="imports_weekly_group_idx"),
        migrations.RemoveConstraint(
            model_name="weeklyabsence", name="imports_weeklyabsence_unique_week"
        ),
        migrations.RenameModel("WeeklyAbsence", "WeeklyAbsenceOld"),
        migrations.CreateModel(
            name="WeeklyAbsence",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "student_id",
                        "week",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "student",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisation.student",
                        verbose_name="student",
                    ),
                ),
                ("week", models.DateField(verbose_name="week (Monday)")),
                (
                    "institution",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisation.institution",
                    ),
                ),
                (
                    "campus",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="organisation.campus",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="organisation.studentgroup",
                    ),
                ),
                ("lessons", models.PositiveIntegerField(default=0)),
                ("present", models.PositiveIntegerField(default=0)),
                ("health", models.PositiveIntegerField(default=0)),
                ("leave", models.PositiveIntegerField(default=0)),
                ("excused", models.PositiveIntegerField(default=0)),
                ("unexplained", models.PositiveIntegerField(default=0)),
                ("late", models.PositiveIntegerField(default=0)),
                ("school_activity", models.PositiveIntegerField(default=0)),
                ("marked_days", models.PositiveSmallIntegerField(default=0)),
                ("absent_days", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "verbose_name": "weekly absence summary",
                "verbose_name_plural": "weekly absence summaries",
                "indexes": [
                    models.Index(fields=["institution", "week"], name="imports_weekly_inst_idx"),
                    models.Index(fields=["campus", "week"], name="imports_weekly_campus_idx"),
                    models.Index(fields=["group", "week"], name="imports_weekly_group_idx"),
                ],
            },
        ),
        migrations.RunSQL(
            f"INSERT INTO imports_weeklyabsence ({COLUMNS}) "
            f"SELECT {COLUMNS} FROM imports_weeklyabsenceold",
            migrations.RunSQL.noop,
        ),
        migrations.DeleteModel("WeeklyAbsenceOld"),
    ]
