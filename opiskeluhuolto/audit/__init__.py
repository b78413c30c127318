"""The audit trail of who changed who may read (ARCHITECTURE.md decision 10).

`audit.record(...)` writes one append-only event inside the caller's transaction;
`audit.state(obj, ...)` takes the before/after picture of a row.
"""


def __getattr__(name):
    # Imported lazily: this package is loaded as an app before the models are.
    if name in ("record", "record_many", "state", "Kind", "Source"):
        from . import trail

        return getattr(trail, name)
    raise AttributeError(name)
