"""Permission matrix rows of imports: provider admins only."""

from opiskeluhuolto.access.matrix import Row

from .helpers import seed_absences


def setup(cast) -> None:
    if not hasattr(cast, "import_run_obj"):
        cast.__dict__["import_run_obj"] = seed_absences(cast)


ADMIN_ONLY = {"*": 404, "anonymous": 302, "admin": 200}
ADMIN_ONLY_API = {"*": 404, "anonymous": 401, "admin": 200}

ROWS = [
    Row("imports:index", ADMIN_ONLY),
    Row("imports:run", ADMIN_ONLY, kwargs=lambda c: {"pk": c.import_run_obj.pk}),
    Row("api:imports-runs", ADMIN_ONLY_API),
    Row("api:imports-run", ADMIN_ONLY_API, kwargs=lambda c: {"run_id": c.import_run_obj.pk}),
]
