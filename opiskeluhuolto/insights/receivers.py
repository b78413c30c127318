"""Early warning after each import of attendance or progress (`imports.signals`)."""

from __future__ import annotations

from django.dispatch import receiver

from opiskeluhuolto.imports import signals

from .actions import run_early_warning


@receiver(signals.data_imported, dispatch_uid="insights.data_imported")
def evaluate_early_warning(sender, *, institution, **kwargs) -> str:
    tasks, notices = run_early_warning(institution)
    return f"Early warning: {tasks} new tasks, {notices} guardian notices."
