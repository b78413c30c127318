"""JSON API of imports: the runs and their error reports (provider admins)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.access.insights import get_import_run, import_runs_visible_to

from .errors import message

router = Router(tags=["imports"])


class ErrorOut(Schema):
    line: int
    code: str
    message: str


class RunOut(Schema):
    id: int
    institution_id: int
    kind: str
    status: str
    file_name: str
    percent: int
    rows_read: int
    rows_written: int
    error_count: int
    created_at: datetime
    finished_at: datetime | None


class RunDetailOut(RunOut):
    errors: list[ErrorOut]


def _run(r) -> dict:
    return {
        "id": r.pk,
        "institution_id": r.institution_id,
        "kind": r.kind,
        "status": r.status,
        "file_name": r.file_name,
        "percent": r.percent,
        "rows_read": r.rows_read,
        "rows_written": r.rows_written,
        "error_count": r.error_count,
        "created_at": r.created_at,
        "finished_at": r.finished_at,
    }


@router.get(
    "/runs", response=list[RunOut], auth=api_policy("provider_admin"), url_name="imports-runs"
)
def runs(request):
    return [_run(r) for r in import_runs_visible_to(request.user)[:100]]


@router.get(
    "/runs/{run_id}",
    response=RunDetailOut,
    auth=api_policy("provider_admin"),
    url_name="imports-run",
)
def run(request, run_id: int):
    r = get_import_run(request.user, run_id)
    data = _run(r)
    data["errors"] = [
        {"line": e.get("line", 0), "code": e.get("code", ""), "message": message(e)}
        for e in r.errors
    ]
    return data
