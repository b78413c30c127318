"""The permission matrix: every URL of the project × every cast member → expected status.

Each app lists its rows in `<app>/tests/matrix.py` as `ROWS = [Row(...), ...]`,
and may define `setup(cast)` there to create the objects its rows point at
(set them as attributes on the cast, e.g. `cast.case = ...`).
`access/tests/test_matrix.py` collects them, fails when a URL pattern has no
row, and checks each row against every member of the cast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps

#: Statuses: 200 ok, 302 redirect (anonymous → sign-in, or after a POST), 401 API
#: not signed in, 404 missing-or-forbidden, 405 wrong method.
Expect = dict[str, int]


@dataclass(frozen=True)
class Row:
    url_name: str
    expect: Expect  # member → status; "*" is the default for members not named
    kwargs: Callable[[Any], dict] = field(default=lambda cast: {})
    method: str = "get"
    data: Callable[[Any], dict] = field(default=lambda cast: {})

    def status_for(self, member: str) -> int:
        if member in self.expect:
            return self.expect[member]
        return self.expect["*"]


def _matrix_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("opiskeluhuolto."):
            continue
        try:
            module = import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as e:
            if e.name not in (f"{config.name}.tests.matrix", f"{config.name}.tests"):
                raise
            continue
        yield module


def all_rows() -> list[Row]:
    return [row for module in _matrix_modules() for row in module.ROWS]


def setup_cast(cast) -> None:
    """Let each app add the objects its rows need (e.g. `cast.case`) via `def setup(cast)`."""
    for module in _matrix_modules():
        setup = getattr(module, "setup", None)
        if setup is not None:
            setup(cast)
