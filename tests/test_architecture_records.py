"""The register is read through one function (ARCHITECTURE.md §2, LAW.md L-906-1).

Fails if welfare records or their entries are queried anywhere outside
`opiskeluhuolto/records/` and `opiskeluhuolto/access/`: every other module
must go through `records.reading.read_records`, which checks and logs.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATTERN = re.compile(
    r"\b(WelfareRecord|RecordEntry|Amendment)\.(objects|_base_manager|_default_manager)\b"
)


def offending_lines(package: Path = ROOT / "opiskeluhuolto") -> list[str]:
    allowed = (package / "records", package / "access")
    found = []
    for path in package.rglob("*.py"):
        if any(path.is_relative_to(a) for a in allowed):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PATTERN.search(line):
                found.append(f"{path.relative_to(package)}:{n}: {line.strip()}")
    return found


def test_records_are_queried_only_in_records_and_access():
    assert offending_lines() == [], "read the register through records.reading.read_records"


def test_the_check_would_catch_a_query(tmp_path, monkeypatch):
    """The test can fail: a module elsewhere that queries records is reported."""
    bad = ROOT / "opiskeluhuolto" / "cases" / "_architecture_probe.py"
    bad.write_text(
        "from opiskeluhuolto.records.models import WelfareRecord\nWelfareRecord.objects.all()\n"
    )
    try:
        assert any("_architecture_probe.py:2" in line for line in offending_lines())
    finally:
        bad.unlink()


def test_views_and_api_read_through_the_reading_module():
    for name in ("records/views.py", "records/api.py"):
        source = (ROOT / "opiskeluhuolto" / name).read_text(encoding="utf-8")
        assert "read_record" in source, name
