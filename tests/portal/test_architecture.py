"""The layers partners → projects → events → reports → portal: a lower app never uses a higher one."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# The outbox is the ground floor: it knows task names and ids, nothing of the domain.
LAYERS = ["outbox", "audit", "partners", "projects", "events", "reports", "portal"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in RANK)
    return found


def python_files(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_imports_a_higher_layer(app):
    violations = [
        f"{path.relative_to(ROOT)} imports {other}"
        for path in python_files(app)
        for other in imported_apps(path)
        if RANK[other] > RANK[app]
    ]
    assert not violations, "\n".join(violations)


def test_every_layer_has_code():
    for app in LAYERS:
        assert python_files(app), app


def test_model_relations_point_down_the_layers():
    """String references ("events.Meeting") bypass imports, so check the registry too.

    The user model lives in the top layer but is swappable (settings.AUTH_USER_MODEL);
    lower apps may point at it, as every reusable Django app does.
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    violations = []
    for app in LAYERS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields(include_hidden=True):
                if not field.is_relation or field.auto_created or field.related_model is None:
                    continue
                target = field.related_model
                if target is user_model:
                    continue
                target_app = target._meta.app_label
                if target_app in RANK and RANK[target_app] > RANK[app]:
                    violations.append(f"{model.__name__}.{field.name} → {target_app}.{target.__name__}")
    assert not violations, "\n".join(violations)


def test_no_circular_imports_between_apps():
    edges = {app: set() for app in LAYERS}
    for app in LAYERS:
        for path in python_files(app):
            edges[app] |= imported_apps(path) - {app}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in edges[start])

    cycles = [app for app in LAYERS if reaches(app, app, {app})]
    assert not cycles, cycles


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"a model change has no migration (exit {exc.code}):\n{out.getvalue()}")


# --- No import circle between modules -----------------------------------------------------------


def module_name(path: Path) -> str:
    """``events/services/__init__.py`` → ``events.services``; ``events/tasks.py`` → ``events.tasks``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path, name: str) -> str:
    """The package a relative import in ``path`` starts from (a package is its own)."""
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def module_imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports, anywhere in the file (inside functions too).

    ``from pkg import name`` imports the module ``pkg.name`` when there is one, else ``pkg``.
    Importing ``a.b.c`` runs the ``__init__`` of ``a`` and ``a.b`` first, so those count
    too, except the importer's own enclosing packages: they are already being imported
    when it runs.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_of(path, name).split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in modules else source)
    own_packages = {".".join(name.split(".")[:depth]) for depth in range(1, name.count(".") + 1)}
    if path.name == "__init__.py":
        own_packages.add(name)
    found = set()
    for target in targets:
        parts = target.split(".")
        for depth in range(1, len(parts) + 1):
            candidate = ".".join(parts[:depth])
            if candidate in modules and candidate not in own_packages and candidate != name:
                found.add(candidate)
    return found


def module_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for app in LAYERS for path in python_files(app)}
    modules = set(paths)
    return {name: module_imports(path, name, modules) for name, path in paths.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest circle through each group of modules that import each other."""
    cycles, reported = [], set()
    for start in sorted(graph):
        if start in reported:
            continue
        # Breadth-first from start's imports back to start: the shortest circle through it.
        previous: dict[str, str] = {}
        queue = [start]
        while queue and start not in previous:
            current = queue.pop(0)
            for nxt in sorted(graph[current]):
                if nxt not in previous:
                    previous[nxt] = current
                    queue.append(nxt)
        if start not in previous:
            continue
        path, current = [start], previous[start]
        while current != start:
            path.append(current)
            current = previous[current]
        path.append(start)
        path.reverse()
        cycles.append(path)
        reported.update(path)
    return cycles


def test_the_import_graph_sees_what_it_should():
    """The checker itself: relative imports, ``from pkg import module``, packages, function bodies."""
    graph = module_graph()
    assert "reports.models" in graph["reports.admin"]
    assert "events.services.reminders" in graph["events.tasks"]
    assert "events.services" in graph["events.tasks"]  # the package's __init__ runs first
    assert "events.services.communities" in graph["events.services"]  # from .communities import …
    assert "projects.models" in graph["events.models"]


def test_no_import_circle_between_modules():
    """No module imports itself again through others, not even from inside a function."""
    cycles = import_cycles(module_graph())
    assert not cycles, "\n".join(" → ".join(cycle) for cycle in cycles)


def test_the_domain_does_not_reverse_web_url_names():
    """URL names belong to the web layer; the domain links through events/absolute_urls.py's page registry."""
    violations = [
        f"{path.relative_to(ROOT)}: {module_name(path)} imports django.urls"
        for app in LAYERS
        if app != "portal"
        for path in python_files(app)
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if (isinstance(node, ast.ImportFrom) and node.module == "django.urls")
        or (isinstance(node, ast.Import) and any(alias.name == "django.urls" for alias in node.names))
    ]
    assert not violations, "\n".join(violations)


# --- One write path for project roles and memberships ----------------------------------------
#
# Every row of ProjectRole and Membership is created and deleted by the services of its own
# app (projects/services.py, events/services/memberships.py), so that what is recorded about
# a grant, an admission or a removal is recorded in one place. The check reads the code of
# the apps (not tests/ or bench/, whose factories build rows freely).

GUARDED_MODELS = {"ProjectRole", "Membership"}
GUARDED_OWNERS = {"projects", "events"}
# Reverse accessors of the two models (projects.ProjectRole.user/project/organisation,
# events.Membership.community/user): ``project.roles.create(...)`` writes a role too.
GUARDED_MANAGERS = {"roles", "project_roles", "staff_roles", "memberships"}
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "delete"}
MANAGER_WRITES = WRITES | {"add", "remove", "clear", "set"}
# Calls that take the model class without writing a row: type checks, the admin's
# register() and the demo loader's count of rows per model.
CLASS_READERS = {"isinstance", "issubclass", "register", "add"}


def _chain(node: ast.expr) -> list[str]:
    """``a.b.c(...).d`` as ["a", "b", "c", "d"]: the names along an attribute/call chain."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names[::-1]


def _callee_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def guarded_writes(source: str) -> list[tuple[int, str]]:
    """(line, code) of each place in ``source`` that creates or deletes a guarded row."""
    tree = ast.parse(source)
    # Names the guarded models are imported as (``from projects.models import ProjectRole as Role``).
    models = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            models |= {alias.asname or alias.name for alias in node.names if alias.name in GUARDED_MODELS}
    models |= GUARDED_MODELS
    found = []
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        func = call.func
        why = ""
        if isinstance(func, ast.Name) and func.id in models:
            why = "builds a row"
        elif isinstance(func, ast.Attribute):
            chain = _chain(func.value)
            receiver = chain[-1].lower() if chain else ""
            if func.attr in WRITES and chain and chain[0] in models:
                why = "writes through the model's manager"
            elif func.attr in MANAGER_WRITES and GUARDED_MANAGERS & set(chain):
                why = "writes through a related manager"
            elif func.attr == "delete" and ("membership" in receiver or "role" in receiver):
                why = "deletes an instance"
        if not why and _callee_name(call) not in CLASS_READERS:
            arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
            if any(isinstance(argument, ast.Name) and argument.id in models for argument in arguments):
                why = "hands the model to a helper that may write"
        if why:
            found.append((call.lineno, f"{why}: {ast.unparse(call)[:100]}"))
    return found


@pytest.mark.parametrize(
    "code",
    [
        "ProjectRole.objects.create(user=u, project=p, role='coordinator')",
        "Membership.objects.filter(user=u).delete()",
        "ProjectRole.objects.get_or_create(user=u, project=p)",
        "Membership.objects.select_for_update().update_or_create(user=u)",
        "Membership.objects.bulk_create(rows)",
        "rows.append(ProjectRole(user=u, project=p))",
        "from events.models import Membership as M\nM.objects.create(user=u)",
        "project.roles.create(user=u, role='coordinator')",
        "community.memberships.all().delete()",
        "user.project_roles.filter(project=p).delete()",
        "membership.delete()",
        "self.own_role.delete()",
        "upsert(Membership, {'user': u}, {}, result)",
        "_bulk(model=ProjectRole, rows=rows)",
    ],
)
def test_the_write_path_check_finds_a_write(code):
    assert guarded_writes(code), code


@pytest.mark.parametrize(
    "code",
    [
        "ProjectRole.objects.filter(user=u).exists()",
        "Membership.objects.filter(user=u).update(status='left')",
        "project_role_grant(project=p, user=u, role='coordinator', granted_by=g)",
        "isinstance(row, Membership)",
        "result.add(Membership, 'created')",
        "project.roles.filter(user=u)",
        "invitation.delete()",
        "Membership.Status.ACTIVE",
    ],
)
def test_the_write_path_check_lets_reads_pass(code):
    assert not guarded_writes(code), code


def test_only_projects_and_events_create_or_delete_roles_and_memberships():
    violations = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for app in LAYERS
        if app not in GUARDED_OWNERS
        for path in python_files(app)
        if "migrations" not in path.parts
        for line, what in guarded_writes(path.read_text())
    ]
    assert not violations, "\n".join(violations)
