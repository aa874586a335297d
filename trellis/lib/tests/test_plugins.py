"""Plug-ins are wired one way: each app's plugins.py makes every registration the app
contributes, and its AppConfig.ready() only calls plugins.register()."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

from django.apps import apps

TRELLIS = Path(__file__).resolve().parents[2]
# The registries themselves: they define these functions (and show them in docstrings).
REGISTRIES = {
    "accounts/idle.py",
    "participants/chart.py",
    "lib/panels.py",
    "lib/periodic.py",
    "notes/snapshot.py",
    "plans/progress.py",
    "scheduling/attendance_hooks.py",
    "scheduling/occurrence_panels.py",
}
REGISTERING = re.compile(r"(?<!plugins\.)\bregister(_tab|_panel|_provider)?\(")


def test_ready_only_calls_the_apps_plugins_module() -> None:
    for config in apps.get_app_configs():
        ready = type(config).__dict__.get("ready")
        if not config.name.startswith("trellis.") or ready is None:
            continue
        body = ast.parse(textwrap.dedent(inspect.getsource(ready))).body[0]
        assert isinstance(body, ast.FunctionDef)
        assert [ast.unparse(statement) for statement in body.body] == [
            f"from {config.name} import plugins",
            "plugins.register()",
        ], config.name


def test_registrations_happen_in_plugins_modules_only() -> None:
    misplaced = [
        str(path.relative_to(TRELLIS))
        for path in TRELLIS.rglob("*.py")
        if "tests" not in path.parts
        and path.name not in {"plugins.py", "admin.py"}
        and str(path.relative_to(TRELLIS)) not in REGISTRIES
        and REGISTERING.search(path.read_text())
    ]
    assert misplaced == []
