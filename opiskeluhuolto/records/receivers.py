"""The register's side of `cases.signals`: each case gets its record, and the consent and
group changes of a case are written into it, in the transaction of the case's action."""

from __future__ import annotations

from django.dispatch import receiver

from opiskeluhuolto.cases import signals

from . import actions


@receiver(signals.case_opened, dispatch_uid="records.case_opened")
def create_record(sender, *, case, **kwargs) -> None:
    actions.create_record(case)


@receiver(signals.case_event, dispatch_uid="records.case_event")
def write_event(sender, *, case, by, text, **kwargs) -> None:
    actions.write_event(case, by=by, text=text)
