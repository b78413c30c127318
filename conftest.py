import copy
import os
import sys

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis' timing checks (input generation "too slow", per-example deadlines) measure
# the machine, not the code: on a loaded 2-core CI machine they failed tests whose
# properties held. The properties and the number of examples stay as they were.
settings.register_profile("oh", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("oh")

# Browser tests drive a live server from a sync Playwright session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's own, except that each test database is copied from a template
    migrated once (opiskeluhuolto/testing/databases.py) instead of migrated per worker."""
    from contextlib import nullcontext

    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from opiskeluhuolto.testing.databases import from_templates

    keepdb = django_db_keepdb and not django_db_createdb
    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    templates = from_templates() if django_db_use_migrations and not keepdb else nullcontext()
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock(), templates:
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            _end_other_sessions()
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )


def _end_other_sessions() -> None:
    """Close every other session on the PostgreSQL test databases before they are dropped.

    A connection left open by another thread of the process (a live server's, a task's)
    made `DROP DATABASE` fail at the end of a green run ("is being accessed by other
    users"), which left `test_<name>_gwN` behind for the next run to trip on. Django's
    teardown has no force option; PostgreSQL's `pg_terminate_backend` ends them."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor != "postgresql":
            continue
        name = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, request):
    from django.core.cache import cache

    from opiskeluhuolto.testing.world import TEST_SETTINGS

    cache.clear()  # the database is rolled back after each test: nothing cached may outlive it
    # A fast password hasher, no MFA or strong identification (tested on their own), tasks
    # run at once.
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, copy.deepcopy(value))
    if request.node.get_closest_marker("production_settings") is None:
        # Pages render without `collectstatic`; the production pass keeps the manifest.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture(autouse=True)
def _access_log_chained_per_statement(request):
    """On PostgreSQL the access log is chained as its transaction commits (records
    migration 0003). A test in a transaction that is rolled back never commits, so there
    the same trigger runs at the end of each INSERT instead. Tests with real commits
    (`transaction=True`, the browser tests) keep the deferred chaining of production."""
    if not (request.node.get_closest_marker("django_db") or "db" in request.fixturenames):
        return
    if _commits(request.node):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS records_log_chain IMMEDIATE")


#: Test modules with tests that take the cast in a rolled-back transaction (no commit, no
#: time travel) and no module-scoped database world of their own: those tests share one
#: cast per module (`_module_cast`).
_CAST_MODULES: set[str] = set()


def _commits(item) -> bool:
    """Whether the test's transactions really commit (`transaction=True`, a live server)."""
    marker = item.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(committing)


def cast_moment(item):
    """The moment the test's `cast` fixture builds the cast at, when it fixes one: the
    `CAST_MOMENT` of the module that defines the fixture (appointments' conftest: a fixed
    Monday), else None (the cast is built today)."""
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.get("cast") if info else None
    if not defs:
        return None
    return getattr(sys.modules.get(defs[-1].func.__module__), "CAST_MOMENT", None)


def _shares_the_cast(item) -> bool | None:
    """True: takes the cast, rolled back; False: uses the database otherwise; None: no
    database at all. Time travel keeps a test from sharing unless its cast is built at a
    fixed moment anyway (`cast_moment`)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if not (item.get_closest_marker("django_db") or DATABASE_FIXTURES & fixtures):
        return None
    travels = "time_machine" in fixtures and cast_moment(item) is None
    return "cast" in fixtures and not _commits(item) and not travels


def _has_own_world(item) -> bool:
    """A fixture wider than the test that reaches the database (a module world of its own,
    as the permission matrix builds): the shared cast's transaction must not nest with it."""
    info = getattr(item, "_fixtureinfo", None)
    for name, defs in info.name2fixturedefs.items() if info else ():
        d = defs[-1]
        ours = not d.func.__module__.startswith("pytest_django")  # its unittest helper
        wider = ours and name != "_module_cast" and d.scope not in ("function", "session")
        if wider and {"django_db_setup", "django_db_blocker"} & set(d.argnames):
            return True
    return False


def _note_cast_modules(items) -> None:
    """Which modules share the cast, and their sharing tests put first in each module (in
    their order, the others after them in theirs): the shared cast is rolled back before
    the module's first test that must not see it (`_leave_the_shared_cast`), so that the
    sharing tests run together before it."""
    verdicts: dict[str, set[bool | None]] = {}
    own_world: set[str] = set()
    for item in items:
        name = item.module.__name__
        verdicts.setdefault(name, set()).add(_shares_the_cast(item))
        if _has_own_world(item):
            own_world.add(name)
    _CAST_MODULES.clear()
    _CAST_MODULES.update(name for name, seen in verdicts.items() if True in seen)
    _CAST_MODULES.difference_update(own_world)
    first_of: dict[str, int] = {}
    for i, item in enumerate(items):
        first_of.setdefault(item.module.__name__, i)

    def order(pair):
        i, item = pair
        name = item.module.__name__
        later = name in _CAST_MODULES and _shares_the_cast(item) is False
        return (first_of[name], later, i)

    items[:] = [item for _, item in sorted(enumerate(items), key=order)]


#: The shared cast open now (a `testing.world.ModuleWorld`), its module's name, and the
#: test being set up.
_shared: dict = {"world": None, "module": None, "item": None}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """`_leave_the_shared_cast` before any fixture of the test is set up."""
    _shared["item"] = item
    _leave_the_shared_cast(item)


def _leave_the_shared_cast(item) -> None:
    """Roll the shared cast back before a test of another module, or a test of its module
    that uses the database without it (it must see none of its rows)."""
    world = _shared["world"]
    if world is None or not world.open:
        return
    if item.module.__name__ == _shared["module"] and _shares_the_cast(item) is not False:
        return
    world.close()


@pytest.fixture(scope="module")
def _module_cast(request, django_db_setup, django_db_blocker):
    """The cast built once for a module's tests that take it without committing (as Django's
    `TestCase.setUpTestData`): in a transaction around them, each test a savepoint in it,
    rolled back after the test (`testing.world.ModuleWorld`). Building it costs ~240
    queries; about 1100 tests take it. The module's other database tests (committing,
    travelling in time, or without the cast, which must not see its rows) run after the
    sharing ones (`_note_cast_modules`), once the shared cast is rolled back
    (`_leave_the_shared_cast`); a test that still takes the cast then builds its own, as
    do the tests of a module with a database world of its own. None: no shared cast."""
    item = _shared["item"]
    if request.module.__name__ not in _CAST_MODULES or (
        item is not None and _shares_the_cast(item) is not True
    ):
        yield None
        return
    import time_machine
    from django.utils import timezone

    from opiskeluhuolto.testing.cast import build
    from opiskeluhuolto.testing.world import ModuleWorld

    def build_it():
        moment = cast_moment(item) if item is not None else None
        if moment is None:
            return build(timezone.localdate())
        with time_machine.travel(moment, tick=False):  # as the module's `cast` fixture does
            return build(timezone.localdate())

    world = ModuleWorld(django_db_blocker, build_it)
    _shared.update(world=world, module=request.module.__name__)
    try:
        yield world
    finally:
        world.close()
        _shared.update(world=None, module=None)


@pytest.fixture
def cast(request, _module_cast, db):
    """The test cast (`testing.cast`). A shared one is deep-copied for each test, as
    `setUpTestData`'s instances are: what a test changes on its copy stays with it."""
    if _module_cast is not None and _module_cast.open and _shares_the_cast(request.node):
        return copy.deepcopy(_module_cast.built)
    from django.utils import timezone

    from opiskeluhuolto.testing.cast import build

    return build(timezone.localdate())


# --- Tests that need more than the default run ------------------------------------------
# No test is skipped to get green: a test that cannot mean anything in this run is
# deselected, and the summary says how many and where they do run.
DESELECTED_KEY = "oh_deselected"
WHY = {
    "postgres_only": "PostgreSQL-only tests deselected on SQLite; they run in the PostgreSQL pass",
    "redis": "Redis tests deselected: TEST_REDIS_URL is not set (.ci/run starts a Redis for them)",
    "production_settings": (
        "production-settings tests deselected; they run in the production pass of .ci/run "
        "(DEBUG=false, manifest static storage)"
    ),
    "database_independent": (
        "database-independent tests deselected (OH_DATABASE_TESTS_ONLY): they ran in the "
        "SQLite pass of .ci/run"
    ),
    "browser_sqlite_only": (
        "browser tests deselected (OH_DATABASE_TESTS_ONLY): they ran in the SQLite pass; "
        "those marked browser_on_postgresql run here too"
    ),
    "not_production_settings": (
        "tests deselected: with DEBUG=false only the production-settings tests run"
    ),
}


#: Fixtures through which a test reaches the database (pytest-django's own). A test with
#: none of them in its fixture closure and no `django_db` marker cannot touch the
#: database (pytest-django blocks it), so its outcome is the same on SQLite and
#: PostgreSQL. A test module that starts subprocesses counts as using the database
#: whatever its tests ask for: a subprocess inherits DATABASE_URL and is not blocked.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})
_starts_processes: dict[str, bool] = {}


def uses_database(item) -> bool:
    """Whether the test's outcome may depend on the database it runs on."""
    if item.get_closest_marker("django_db"):
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    path = str(item.path)
    if path not in _starts_processes:
        source = item.path.read_text(encoding="utf-8") if item.path.suffix == ".py" else ""
        _starts_processes[path] = "subprocess" in source or "second_process" in source
    return _starts_processes[path]


def database_tests_only() -> bool:
    """OH_DATABASE_TESTS_ONLY=1: .ci/run's second database pass (PostgreSQL), after the
    whole suite ran on SQLite. Left out: the database-independent tests (same code, same
    outcome), and the browser tests but those marked `browser_on_postgresql`. A browser
    test checks what a person sees and does; what the database decides in its flow is
    tested below the browser in this pass too (the chain, the locks, the constraints), so
    running every browser walk twice cost the pass about a third of its time for little.
    The marked ones are the walks whose outcome rests on PostgreSQL-only code: the register
    read and its logged chain, bookings under their locks, the anonymous survey answer, the
    regional group across providers. `./dev test` without the variable runs everything."""
    return os.environ.get("OH_DATABASE_TESTS_ONLY", "") not in ("", "0", "false")


def production_pass() -> bool:
    """Settings with the manifest static storage (DEBUG=false): the production pass."""
    from django.conf import settings

    return "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]


def pytest_collection_modifyitems(config, items):
    from django.db import connections

    _note_cast_modules(items)

    on_sqlite = connections["default"].vendor == "sqlite"
    production = production_pass()
    db_only = database_tests_only()
    keep, counts, deselected = [], dict.fromkeys(WHY, 0), []
    for item in items:
        marked = {m.name for m in item.iter_markers()}
        if production and "production_settings" not in marked:
            why = "not_production_settings"
        elif not production and "production_settings" in marked:
            why = "production_settings"
        elif on_sqlite and "postgres_only" in marked:
            why = "postgres_only"
        elif "redis" in marked and not os.environ.get("TEST_REDIS_URL"):
            why = "redis"
        elif db_only and not uses_database(item):
            why = "database_independent"
        elif db_only and "browser" in marked and "browser_on_postgresql" not in marked:
            why = "browser_sqlite_only"
        else:
            keep.append(item)
            continue
        counts[why] += 1
        deselected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep
    config.oh_deselected_counts = counts
    if hasattr(config, "workeroutput"):  # an xdist worker: tell the controller
        config.workeroutput[DESELECTED_KEY] = counts


@pytest.hookimpl(optionalhook=True)  # an xdist hook: the run may be without xdist
def pytest_testnodedown(node, error):
    """xdist: every worker collects every test, so any worker's counts are the run's."""
    counts = getattr(node, "workeroutput", {}).get(DESELECTED_KEY)
    if counts is not None:
        node.config.oh_deselected_counts = counts


def pytest_terminal_summary(terminalreporter, config):
    for why, n in (getattr(config, "oh_deselected_counts", None) or {}).items():
        if n:
            terminalreporter.write_line(f"{n} {WHY[why]}")


@pytest.fixture
def redis_url(worker_id):
    """The test Redis (TEST_REDIS_URL, tests marked `redis`), one database per xdist
    worker so that parallel workers never clear each other's keys."""
    base = os.environ["TEST_REDIS_URL"].rstrip("/")
    n = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    return f"{base}/{1 + n % 15}"
