"""Background work of imports (django.tasks): running an uploaded file."""

from __future__ import annotations

from pathlib import Path

from django.tasks import task


@task()
def run_import_task(run_id: int) -> str:
    """Run an uploaded import, then tell the apps that read its data (`signals`): early
    warning is evaluated for its institution."""
    from . import signals
    from .actions import run_import
    from .models import ImportRun

    run = ImportRun.objects.select_related("institution").get(pk=run_id)
    try:
        run = run_import(run)
    finally:
        # The uploaded copy holds learner ids: keep it no longer than the import needs it.
        Path(run.file_path).unlink(missing_ok=True)
    if run.status == ImportRun.Status.SUCCEEDED and run.kind != ImportRun.Kind.ROSTER:
        signals.data_imported.send(sender=ImportRun, institution=run.institution)
    return run.status
