"""Dependencies point one way (ARCHITECTURE.md §9, docs/architecture.md).

Every import between the apps of `opiskeluhuolto/` must follow the layers

    lib  ←  organisation, accounts  ←  access  ←  feature apps  ←  front, api

and the few edges between feature apps written down in `FEATURE_EDGES` below. All
imports count: at the top of a module, inside functions, under `TYPE_CHECKING`, relative
ones and `import_module("opiskeluhuolto…")` with a literal name. Tests and migrations
are not checked (tests build their cast from every app; migrations refer to the
history). A second test fails when any two apps (or chain of apps) depend on each
other in both directions.

Hand-written with `ast` rather than with import-linter: the rule is about direct
imports, names each allowed feature edge *with the modules it may use*, and lets the
web interface of the base apps (their views, API and admin, which carry the policies)
sit above `access`; as import-linter contracts that is one `ignore_imports` line per
module, harder to read than the table below, and a new dependency for ~100 lines.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "opiskeluhuolto"

#: Layer of each top-level package; a module may import any package of a lower layer.
LAYERS = {
    "lib": 0,
    "organisation": 1,
    "accounts": 1,
    "audit": 1,  # the one audit trail of access changes: every app writes into it
    "access": 2,
    **dict.fromkeys(
        (
            "cases",
            "records",
            "appointments",
            "annualclock",
            "meetings",
            "imports",
            "insights",
            "surveys",
            "procedures",
            "incidents",
        ),
        3,
    ),
    **dict.fromkeys(("announcements", "events"), 3),  # communication and events (issue 18)
    "spaces": 3,  # communal spaces (issue 20)
    "projects": 3,  # development projects (issue 20)
    "privacy": 4,  # the whole-person copy and data requests: read every feature app
    "front": 4,
    "api": 4,
    "testing": 5,  # the test cast: used by tests only
}
FEATURES = {app for app, layer in LAYERS.items() if layer == 3}
PROJECT = 6  # settings.py, urls.py, checks.py, wsgi.py: they wire everything together

#: Within the base layer, one direction only.
BASE_EDGES = {("organisation", "accounts"), ("organisation", "audit"), ("accounts", "audit")}

#: The web interface of the base apps: these modules attach `access` policies to their
#: pages, API and admin, so they sit above `access` (the rest of the app stays below it).
INTERFACE = {
    "views",
    "api",
    "urls",
    "admin",
    "middleware",
    # sign-in: matching an identity to a person, its assurance level, re-confirmation
    "adapters",
    "identification",
    "reconfirm",
}

#: `access` decides, so it reads every feature app's models (and nothing else of them).
ACCESS_READS = {"models"}

#: What every app may import from the shell: its registry of navigation, home panels and
#: public sections (the shell imports no feature app).
SHELL = {("front", "registry")}

#: The allowed edges between feature apps, each with the modules of the used app it may
#: import. Add a row (and to docs/architecture.md) when an app needs another; never both ways.
FEATURE_EDGES: dict[tuple[str, str], set[str]] = {
    # Announcements run the minutes' personal-data check before sending (L-14-2), write to
    # a welfare group's members, and draft the annual clock's communication items.
    ("announcements", "meetings"): {"minutes_check", "models"},
    ("announcements", "annualclock"): {"layers", "models"},
    # Events invite through announcements, report participation to the organiser group's
    # agenda and the plan's indicators, and link the clock's event items they fulfil (a section on the item's page). The
    # communal calendar of students and guardians dates the clock's items for their campus
    # (layers) and draws them on the clock's circle (wheel, pure geometry).
    ("events", "announcements"): {"actions", "models"},
    ("events", "meetings"): {"inbox", "goals", "models"},
    ("events", "annualclock"): {"models", "layers", "wheel", "extensions"},
    # Feedback on an event is a short survey of the survey tool, sent after the event
    # through its public action for other apps (surveys never imports events).
    ("events", "surveys"): {"actions"},
    # A record belongs to a case; the cases' actions tell the register through signals.
    ("records", "cases"): {"models", "signals", "display", "actions", "expert_groups"},
    # The agenda of a meeting is assembled from the annual clock.
    ("meetings", "annualclock"): {"layers", "models", "demo"},
    # The regional plan's comparison of the member providers' indicators (issue 20) reads
    # their aggregates and links from the plan's assessed need through the plan's seam.
    ("insights", "meetings"): {"models", "section_links"},
    # Early warning and dashboards read the imported attendance and progress.
    ("insights", "imports"): {"models", "signals", "actions", "generator"},
    # The dashboard shows the appointments' compliance summary.
    ("insights", "appointments"): {"reports"},
    # Reads of requests and bookings are logged through the register's gate (L-906-1), and
    # their retention is one of the register's retention classes.
    ("appointments", "records"): {"models", "reading", "retention"},
    # A referral on the §15 clock gets its discussion request (cases.signals).
    ("appointments", "cases"): {"signals", "actions"},
    # Retention starts when the student left (the study-right events of the roster import).
    ("records", "imports"): {"models"},
    # Surveys: released results feed indicators and go onto the owner group's agenda.
    ("surveys", "meetings"): {"models", "inbox", "goals"},
    # A survey's window and results date come from its annual-clock item.
    ("surveys", "annualclock"): {"models", "recurrence"},
    # An invitation e-mail is in the person's language: the reader's language of
    # announcements (announcements never imports surveys).
    ("surveys", "announcements"): {"actions"},
    # Publishing a procedure puts its review on the following groups' agendas; a procedure
    # is owned by a group; a drill record fulfils a drill item of the annual clock.
    # Through the seams: the clock's pages show drills held and reviews due
    # (`annualclock.extensions`); the plan's sections link to procedures (`section_links`).
    ("procedures", "meetings"): {"models", "inbox", "section_links"},
    ("procedures", "annualclock"): {"models", "extensions"},
    # An incident is routed by the procedure of its category and campus.
    ("incidents", "procedures"): {"models", "actions"},
    # The summary of the standing safety topic goes to the welfare groups' agendas.
    ("incidents", "meetings"): {"models", "inbox"},
    # Reads of incidents are logged through the register's gate; retention is one of its classes.
    ("incidents", "records"): {"models", "reading", "retention"},
    # A referral made from an incident: the cases app files it (nothing copied).
    ("incidents", "cases"): {"actions", "models"},
    # A development project's results are the values of the plan's indicators its goals
    # are linked to, at the start and the end of the project.
    ("projects", "meetings"): {"models"},
}

#: Temporary exceptions, each with the reason and who removes it (none today).
TEMPORARY_EDGES: dict[tuple[str, str], set[str]] = {}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.Module, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the tree."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            # `from package import submodule` imports the submodule.
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _node(app: str, rest: list[str]) -> str:
    """The node of the dependency graph a module belongs to: its app; the web interface
    of a base app (which sits above `access`); the shell's registry (below the apps)."""
    if LAYERS.get(app) == 1 and rest and rest[0] in INTERFACE:
        return f"{app} (web)"
    if (app, *rest[:1]) in SHELL:
        return f"{app}.{rest[0]}"
    return app


def _under(target: list[str], modules: set[str]) -> bool:
    """Whether the imported module path (within its app) is one of `modules` or inside one.
    `from app import x` names `app.x`, so a bare package import is judged by its name."""
    dotted = ".".join(target)
    return any(dotted == m or dotted.startswith(m + ".") for m in modules)


def allowed(source: str, target: str) -> bool:
    """Whether module `source` may import `target` (both absolute names)."""
    s, t = source.split(".")[1:], target.split(".")[1:]
    if not t or t[0] not in LAYERS:
        return True  # not one of our apps (the root package, Django, a library)
    if s and s[0] == t[0]:
        return True  # within the app
    src_app = s[0] if len(s) > 1 and s[0] in LAYERS else None
    src_layer = LAYERS[src_app] if src_app else PROJECT
    dst_app, dst_rest = t[0], t[1:]
    dst_layer = LAYERS[dst_app]
    if src_app is None:
        return True  # the project's own modules wire the apps together
    if (dst_app, *dst_rest[:1]) in SHELL:
        return True
    if src_app == "access" and dst_app in FEATURES:
        return _under(dst_rest, ACCESS_READS)
    if src_layer == 3 and dst_layer == 3:
        edge = (src_app, dst_app)
        modules = FEATURE_EDGES.get(edge, set()) | TEMPORARY_EDGES.get(edge, set())
        return _under(dst_rest, modules)
    if src_layer == dst_layer:
        # The web interface of a base app sits above `access`, so above every base app.
        return (src_app, dst_app) in BASE_EDGES or _node(src_app, s[1:]) != src_app
    if src_layer == 1 and dst_app == "access":
        return _node(src_app, s[1:]) != src_app
    return dst_layer < src_layer


def imports_of_apps(root: Path = ROOT) -> list[tuple[str, int, str, str]]:
    """(file, line, importing module, imported module) for every import of our apps."""
    rows = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if "tests" in rel or "migrations" in rel:
            continue
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, target in _imported(tree, module, path.name == "__init__.py"):
            if target.startswith("opiskeluhuolto."):
                rows.append((str(path.relative_to(root)), line, module, target))
    return rows


def violations(root: Path = ROOT) -> list[str]:
    return [
        f"{file}:{line}: {target}"
        for file, line, source, target in imports_of_apps(root)
        if not allowed(source, target)
    ]


def app_graph(root: Path = ROOT) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for _file, _line, source, target in imports_of_apps(root):
        s, t = source.split(".")[1:], target.split(".")[1:]
        if len(s) < 2 or s[0] not in LAYERS or not t or t[0] not in LAYERS or s[0] == t[0]:
            continue
        if (s[0], t[0]) in TEMPORARY_EDGES:
            continue
        if s[0] == "access" and t[0] in FEATURES:
            continue  # the one intended exception: access reads the models it decides on
        graph[_node(s[0], s[1:])].add(_node(t[0], t[1:]))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_every_app_has_a_layer():
    """A new app gets its place in LAYERS (and its edges) before it can be checked."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages == set(LAYERS), "add the new app to LAYERS and to docs/architecture.md"


def test_apps_import_each_other_only_in_the_allowed_direction():
    assert violations() == [], "see docs/architecture.md for the allowed edges"


def test_no_two_apps_depend_on_each_other():
    """Beyond the rule for each import: no chain of imports leads from an app back to
    itself (`access` reading the feature apps' models left out, as it is meant to)."""
    assert cycles(app_graph()) == []


def test_the_written_down_edges_have_no_cycle():
    graph = defaultdict(set)
    for src, dst in [*FEATURE_EDGES, *BASE_EDGES]:
        graph[src].add(dst)
    assert cycles(graph) == []


def test_the_rule_catches_forbidden_imports(tmp_path):
    """The test can fail: imports at the top, inside a function, relative ones reaching
    out of the app and `import_module` are all found and judged."""
    package = tmp_path / "opiskeluhuolto"
    for app in ("lib", "organisation", "access", "cases", "records", "meetings", "front"):
        (package / app).mkdir(parents=True)
        (package / app / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "cases" / "actions.py").write_text(
        "from opiskeluhuolto.organisation.models import Student\n"  # down: fine
        "def f():\n"
        "    from opiskeluhuolto.records import actions\n"  # against records → cases
    )
    (package / "records" / "views.py").write_text(
        "from opiskeluhuolto.cases import models, display\n"  # the allowed edge
        "from opiskeluhuolto.cases.views import apply_errors\n"  # not a public module
        "from ..front.registry import nav_item\n"  # the shell's registry: fine
        "from ..front import views\n"  # the shell itself: no
    )
    (package / "lib" / "util.py").write_text(
        "import importlib\nimportlib.import_module('opiskeluhuolto.organisation.models')\n"
    )
    (package / "organisation" / "models.py").write_text("from opiskeluhuolto import access\n")
    (package / "organisation" / "views.py").write_text("from opiskeluhuolto import access\n")
    (package / "meetings" / "forms.py").write_text("import opiskeluhuolto.cases.models\n")
    assert sorted(violations(package)) == [
        "cases/actions.py:3: opiskeluhuolto.records.actions",
        "lib/util.py:2: opiskeluhuolto.organisation.models",
        "meetings/forms.py:1: opiskeluhuolto.cases.models",
        "organisation/models.py:1: opiskeluhuolto.access",
        "records/views.py:2: opiskeluhuolto.cases.views.apply_errors",
        "records/views.py:4: opiskeluhuolto.front.views",
    ]
    assert cycles(app_graph(package)) == [["cases", "records"]]
