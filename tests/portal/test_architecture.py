"""The layers partners → projects → events → reports → portal: a lower app never uses a higher one."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["partners", "projects", "events", "reports", "portal"]
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
