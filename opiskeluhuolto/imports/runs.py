"""The bookkeeping of an import run shared by the importers: one pass over the file
before it is parsed, the run's progress as it goes, and the institution's students."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opiskeluhuolto.organisation.models import Student

from .models import ImportRun

Progress = Callable[[ImportRun], None]


@dataclass(frozen=True)
class FileScan:
    """What one pass over the file tells before it is parsed."""

    sha256: str
    size: int
    separators: int  # semicolons in the whole file
    ends_with_newline: bool


def scan_file(path: Path) -> FileScan:
    digest = hashlib.sha256()
    size = separators = 0
    last = b""
    with open(path, "rb") as f:
        while block := f.read(1 << 16):  # 64 KiB: memory stays flat (test_blocks.py)
            digest.update(block)
            separators += block.count(b";")
            size += len(block)
            last = block[-1:]
    return FileScan(digest.hexdigest(), size, separators, last == b"\n")


class AlreadyImported(Exception):
    """The file (by its hash) was imported into the institution before."""

    def __init__(self, sha256: str):
        super().__init__(sha256)
        self.sha256 = sha256


def imported_before(run: ImportRun, sha256: str) -> bool:
    return (
        ImportRun.objects.filter(
            institution_id=run.institution_id,
            kind=run.kind,
            sha256=sha256,
            status=ImportRun.Status.SUCCEEDED,
        )
        .exclude(pk=run.pk)
        .exists()
    )


def claim(run: ImportRun, sha256: str) -> None:
    """Record the file's hash on the run, hashed while the file was read (one pass);
    raises AlreadyImported, before anything is written, if the file was imported before."""
    if imported_before(run, sha256):
        raise AlreadyImported(sha256)
    save_run(run, sha256=sha256)


def save_run(run: ImportRun, **fields) -> None:
    for k, v in fields.items():
        setattr(run, k, v)
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def reporter(run: ImportRun, progress: Progress | None) -> Callable[[int], None]:
    def report_bytes(done: int) -> None:
        save_run(run, bytes_done=done)
        if progress:
            progress(run)

    return report_bytes


def summarising(run: ImportRun, progress: Progress | None) -> None:
    if run.phase != "summarising":
        save_run(run, phase="summarising")
        if progress:
            progress(run)


def open_file(run: ImportRun):
    return open(run.file_path, "rb")


def student_ids(institution_id: int) -> dict[str, int]:
    rows = Student.objects.filter(
        institution_id=institution_id, oppijanumero__isnull=False
    ).values_list("oppijanumero", "pk")
    return dict(rows)  # type: ignore[arg-type]  # rows are filtered to oppijanumero__isnull=False
