"""The access log's hash chain, as pure functions (LAW.md L-906-3).

Each row's hash covers its own content and the previous row's hash, so
changing, removing or inserting a row breaks every link after it.

The hashed text is written twice, once per language: here (`row_hash`, the verifier and
the chaining on SQLite) and in PostgreSQL's `records_log_row_hash` (records migration
0011), which both the commit's trigger and `records_log_append` call. A change to the
format changes both, in a new migration (old rows keep their hashes: the format may only
grow in ways old rows do not see, as `SUBJECT_FIELDS` did); `tests/test_row_hash_paths.py`
checks that the two agree through each path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "action",
    "basis",
    "purpose",
    "student_id_ref",
    "case_id_ref",
    "record_id_ref",
    "client_ip",
)
#: What a row is about when it is not a welfare record (LAW.md L-906-1: every read of
#: personal data in a confidential matter). Hashed after `FIELDS`, and only when the kind
#: is not "record", so the rows written before these columns existed keep their hashes.
SUBJECT_FIELDS = ("subject_kind", "subject_id")
RECORD = "record"

#: The chains (the `chain` column, not hashed). Since issue 21 each data subject (student)
#: has a chain of their own, numbered `STUDENT_CHAINS + student id`: two readers wait for
#: each other only when they read about the same student, so the readers of one provider
#: no longer queue behind one lock held across each commit's WAL flush. The numbers below
#: are the rows logged before: 0 the one chain of every provider (before records migration
#: 0008), 1 … the provider's id the chain of that provider (0008 until the split per
#: student). Old rows keep their chains and hashes, so they verify as they did; and a
#: student's rows are in increasing `chain` order over time (0, their provider's, their
#: own), which "who has read my data" relies on. 2**30 leaves room for a billion
#: providers below and a billion students above within the column's 32 bits.
STUDENT_CHAINS = 1 << 30


def student_chain(student_id: int) -> int:
    """The chain of a student's rows (the lock a committing reader of them takes)."""
    return STUDENT_CHAINS + student_id


def describe(key: int) -> str:
    """A chain's name in reports: "chain 0", "chain 3" (a provider's, logged before the
    split per student), "chain 1073741866 (student 42)"."""
    if key >= STUDENT_CHAINS:
        return f"chain {key} (student {key - STUDENT_CHAINS})"
    return f"chain {key}"


def _canonical(value):
    """Times in UTC, as the database writes them in its copy of the format (records
    migration 0011): a time given in another zone hashes as the same instant."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    return value


def row_hash(prev_hash: str, row: Mapping) -> str:
    values = [prev_hash, *[_canonical(row[f]) for f in FIELDS]]
    if row.get("subject_kind", RECORD) != RECORD:
        values += [row[f] for f in SUBJECT_FIELDS]
    payload = json.dumps(
        values,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def first_break(rows: Iterable[Mapping]) -> Break | None:
    """The first broken link of rows in `seq` order, or None when the chain holds."""
    prev_hash, expected_seq = GENESIS, 1
    for row in rows:
        if row["seq"] != expected_seq:
            return Break(expected_seq, f"row {expected_seq} is missing")
        if row["prev_hash"] != prev_hash:
            return Break(row["seq"], "does not point to the previous row's hash")
        if row_hash(prev_hash, row) != row["hash"]:
            return Break(row["seq"], "its content does not match its hash")
        prev_hash, expected_seq = row["hash"], expected_seq + 1
    return None
