"""Background work of imports (django.tasks): running an uploaded file."""

from __future__ import annotations

from pathlib import Path

from django.tasks import task


@task()
def run_import_task(run_id: int) -> str:
    """Run an uploaded import, then evaluate early warning for its institution."""
    from opiskeluhuolto.insights.actions import run_early_warning

    from .actions import run_import
    from .models import ImportRun

    run = ImportRun.objects.select_related("institution").get(pk=run_id)
    try:
        run = run_import(run)
    finally:
        # The uploaded copy holds learner ids: keep it no longer than the import needs it.
        Path(run.file_path).unlink(missing_ok=True)
    if run.status == ImportRun.Status.SUCCEEDED and run.kind != ImportRun.Kind.ROSTER:
        run_early_warning(run.institution)
    return run.status
