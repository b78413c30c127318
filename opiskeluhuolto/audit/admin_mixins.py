"""Django admin changes of access rules write audit events too (ARCHITECTURE.md decision 10).

A ModelAdmin that edits an access-deciding model mixes in `AuditedAdmin` and names an
`Audited` for its own model and for each audited inline. The admin's change view runs in
one transaction, so the events commit with the change. Each changed, added or removed
row writes one event with the before and after state read from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import trail


@dataclass(frozen=True)
class Audited:
    added: str
    changed: str
    removed: str
    #: The access-deciding fields of a row (`audit.state(obj, ...)`).
    state: Callable[[Any], dict]
    #: (provider id, student id or None) of a row.
    scope: Callable[[Any], tuple[int | None, int | None]]

    def write(self, kind: str, obj, request, *, before, after, object_id=None) -> None:
        provider_id, student_id = self.scope(obj)
        trail.record(
            kind,
            obj,
            by=request.user,
            provider_id=provider_id,
            student_id=student_id,
            before=before,
            after=after,
            source=trail.Source.ADMIN,
            object_id=object_id,
        )


def _rows(model, **filters) -> dict:
    return {obj.pk: obj for obj in model._base_manager.filter(**filters)}


class AuditedAdmin:
    audited: Audited | None = None
    #: inline model → how its rows are audited; the inline's rows hang on the parent object.
    audited_inlines: dict[type, Audited] = {}

    def save_model(self, request, obj, form, change):
        if self.audited is None:
            return super().save_model(request, obj, form, change)
        old = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        before = self.audited.state(old) if old is not None else None
        super().save_model(request, obj, form, change)
        after = self.audited.state(obj)
        if before is None:
            self.audited.write(self.audited.added, obj, request, before=None, after=after)
        elif before != after:
            self.audited.write(self.audited.changed, obj, request, before=before, after=after)

    def _removing(self, request, obj) -> None:
        """Write the events of deleting `obj` and the audited inline rows its delete cascades to."""
        if self.audited is not None:
            self.audited.write(
                self.audited.removed, obj, request, before=self.audited.state(obj), after=None
            )
        for model, spec in self.audited_inlines.items():
            fks = [f.name for f in model._meta.fields if f.related_model is type(obj)]  # type: ignore[attr-defined]  # a model class
            for fk in fks:
                for row in _rows(model, **{fk: obj}).values():
                    spec.write(spec.removed, row, request, before=spec.state(row), after=None)

    def delete_model(self, request, obj):
        self._removing(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._removing(request, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        spec = self.audited_inlines.get(formset.model)
        if spec is None:
            return super().save_formset(request, form, formset, change)
        fk = formset.fk.name
        parent = {fk: form.instance}
        old = _rows(formset.model, **parent) if form.instance.pk else {}
        super().save_formset(request, form, formset, change)
        new = _rows(formset.model, **parent)
        for pk, obj in old.items():
            if pk not in new:
                spec.write(
                    spec.removed, obj, request, before=spec.state(obj), after=None, object_id=pk
                )
            elif (before := spec.state(obj)) != (after := spec.state(new[pk])):
                spec.write(spec.changed, new[pk], request, before=before, after=after)
        for pk, obj in new.items():
            if pk not in old:
                spec.write(spec.added, obj, request, before=None, after=spec.state(obj))
