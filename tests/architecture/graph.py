"""Read the project's import graph with `ast` and check it against tests/architecture/contracts.py.

Nothing is imported or run: a module is read from its file, so the checks see function-level
imports too (a deferred import is still a dependency) and work on any copy of the tree, which
is how the tests prove each check fails on a deliberate violation.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.architecture import contracts

ROOT = Path(__file__).resolve().parents[2]  # the repository: trellis/ is under it
SKIPPED_DIRECTORIES = frozenset({"tests", "migrations", "__pycache__"})
FACE_NAMES = frozenset({"views", "api", "urls", "admin"})
RELATION_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


@dataclass(frozen=True)
class Module:
    name: str  # trellis.participants.chart
    path: Path  # relative to the root that was read
    app: str  # "participants"; contracts.PROJECT for trellis/*.py
    is_package: bool
    tree: ast.Module = field(repr=False)  # shared by copies of unchanged files (see _parse)


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    how: str  # "import" or "model reference"


@dataclass(frozen=True)
class ManagerUse:
    module: str
    model: str  # app label and model name: "participants.Episode"
    line: int


@dataclass
class Project:
    package: str
    modules: dict[str, Module]

    def module_of(self, dotted: str) -> str | None:
        """The project module `dotted` names, or the nearest package that holds it."""
        while dotted:
            if dotted in self.modules:
                return dotted
            dotted = dotted.rpartition(".")[0]
        return None


@functools.cache
def _parse(source: str, filename: str) -> ast.Module:
    # Cached by text: a throwaway copy of the tree parses only the files a test changed.
    return ast.parse(source, filename=filename)


def read_project(root: Path, package: str = "trellis") -> Project:
    """Every module of `package` under `root`, tests and migrations left out."""
    modules: dict[str, Module] = {}
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_DIRECTORIES.intersection(relative.parts[:-1]):
            continue
        is_package = path.name == "__init__.py"
        parts = relative.parts[:-1] if is_package else (*relative.parts[:-1], path.stem)
        app = relative.parts[1] if len(relative.parts) > 2 else contracts.PROJECT
        name = ".".join(parts)
        tree = _parse(path.read_text(encoding="utf-8"), str(relative))
        modules[name] = Module(name, relative, app, is_package, tree)
    return Project(package, modules)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of `tree` except the bodies of `if TYPE_CHECKING:` blocks."""
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def _relation_target(node: ast.Call) -> str | None:
    """The "app_label.Model" a relation field names as a string, if it does."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name not in RELATION_FIELDS:
        return None
    candidates = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "to")]
    for candidate in candidates:
        value = candidate.value if isinstance(candidate, ast.Constant) else None
        if isinstance(value, str) and "." in value:
            return value
    return None


@dataclass(frozen=True)
class _Named:
    """A name a statement depends on: `dotted`, or `dotted.member` when that is a module."""

    dotted: str
    member: str
    line: int
    how: str


@functools.cache
def _named_in(module: Module) -> tuple[_Named, ...]:
    named: list[_Named] = []
    for node in _runtime_nodes(module.tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            named += [_Named(alias.name, "", line, "import") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            named += [_Named(base, alias.name, line, "import") for alias in node.names]
        elif isinstance(node, ast.Call) and (label := _relation_target(node)):
            app = label.partition(".")[0]
            package = module.name.partition(".")[0]
            named.append(_Named(f"{package}.{app}.models", "", line, "model reference"))
    return tuple(sorted(named, key=lambda n: n.line))


def imports_of(project: Project, module: Module) -> Iterator[Import]:
    """The project modules `module` depends on when it runs (type-checking imports left out).

    `from package import name` depends on the submodule `package.name` when there is one.
    A relation written as "app_label.Model" depends on that app's models (app labels are the
    apps' directory names).
    """
    seen: set[tuple[str, int]] = set()
    for named in _named_in(module):
        dotted = named.dotted
        if named.member and f"{dotted}.{named.member}" in project.modules:
            dotted = f"{dotted}.{named.member}"
        if dotted != project.package and not dotted.startswith(project.package + "."):
            continue
        target = project.module_of(dotted)
        if target is not None and target != module.name and (target, named.line) not in seen:
            seen.add((target, named.line))
            yield Import(module.name, target, named.line, named.how)


def _is_excluded_face(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in contracts.NOT_FACES)


def face_modules(project: Project) -> set[str]:
    """Modules that serve requests: see the docstring of contracts.py."""
    faces: set[str] = set()
    for module in project.modules.values():
        inner = module.name.split(".")[2:]
        if module.app == contracts.PROJECT or FACE_NAMES.intersection(inner):
            faces.add(module.name)
    for module in project.modules.values():
        if module.name.endswith(".urls") and module.app != contracts.PROJECT:
            faces.update(
                i.target
                for i in imports_of(project, module)
                if project.modules[i.target].app == module.app
            )
    return {name for name in faces if not _is_excluded_face(name)}


@dataclass
class LayerCheck:
    violations: list[str]
    exceptions_used: set[tuple[str, str]]

    @property
    def unused_exceptions(self) -> list[tuple[str, str]]:
        """Entries of contracts.EXCEPTIONS that no import needs any more."""
        return sorted(set(contracts.EXCEPTIONS) - self.exceptions_used)


def check_layers(project: Project) -> LayerCheck:
    """Every import that breaks the contracts, as readable lines."""
    layer_names = [name for name, _ in contracts.LAYERS]
    app_layer = {app: index for index, (_, apps) in enumerate(contracts.LAYERS) for app in apps}
    faces_index = layer_names.index(contracts.FACES_LAYER)
    faces = face_modules(project)
    result = LayerCheck([], set())

    apps = {m.app for m in project.modules.values()} - {contracts.PROJECT}
    for app in sorted(apps - app_layer.keys()):
        result.violations.append(
            f"{project.package}/{app}/ has no layer: add it to LAYERS in {contracts.__name__}"
        )

    def layer_of(module: Module) -> int:
        if module.app == contracts.PROJECT or module.name in faces:
            return faces_index
        return app_layer.get(module.app, faces_index)

    for module in project.modules.values():
        for imp in imports_of(project, module):
            target = project.modules[imp.target]
            where = f"{module.path}:{imp.line}: {imp.source} imports {imp.target}"
            if imp.how != "import":
                where += f" ({imp.how})"
            if (imp.source, imp.target) in contracts.EXCEPTIONS:
                result.exceptions_used.add((imp.source, imp.target))
                continue
            if module.app == target.app:
                if module.name not in faces and imp.target in faces:
                    result.violations.append(f"{where}: only a face may import a face")
                continue
            source_layer, target_layer = layer_of(module), layer_of(target)
            if target_layer > source_layer:
                result.violations.append(
                    f"{where}: {layer_names[source_layer]} may not import "
                    f"{layer_names[target_layer]}"
                )
            elif target_layer == source_layer and not _peers_allowed(
                module, target, target_layer == faces_index
            ):
                result.violations.append(
                    f"{where}: {module.app or 'the project'} and {target.app or 'the project'} "
                    f"are peers in {layer_names[source_layer]} (see PEER_IMPORTS)"
                )
    return result


def _peers_allowed(source: Module, target: Module, in_faces: bool) -> bool:
    if in_faces:
        return source.app == contracts.PROJECT  # the project wires every app's faces
    last = source.name.rpartition(".")[2]
    if target.app == contracts.ACCESS_MODULE_MAY_IMPORT and last == "access":
        return True
    return (source.app, target.app) in contracts.PEER_IMPORTS


def _model_names(project: Project, module: Module) -> tuple[dict[str, str], dict[str, str]]:
    """Local names bound to models ("Episode" -> "participants.Episode") and to apps' models
    modules ("pm" -> "participants"), from the module's imports."""
    models: dict[str, str] = {}
    modules: dict[str, str] = {}
    prefix = project.package + "."

    def app_of_models(dotted: str) -> str | None:
        parts = dotted.split(".")
        if dotted.startswith(prefix) and len(parts) >= 3 and parts[2] == "models":
            return parts[1]
        return None

    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and (app := app_of_models(alias.name)):
                    modules[alias.asname] = app
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            for alias in node.names:
                local = alias.asname or alias.name
                if app := app_of_models(base):
                    models[local] = f"{app}.{alias.name}"
                elif alias.name == "models" and (app := app_of_models(f"{base}.models")):
                    modules[local] = app
    return models, modules


def _label_of(node: ast.expr, models: dict[str, str], modules: dict[str, str]) -> str | None:
    """The model label an expression names (`Episode`, `pm.Episode`), if it names one."""
    if isinstance(node, ast.Name):
        return models.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        app = modules.get(node.value.id)
        return f"{app}.{node.attr}" if app else None
    return None


def manager_uses(project: Project, participant_data: Collection[str]) -> list[ManagerUse]:
    """Where faces touch the manager of a participant-data model ("app.Model" labels).

    `Model.objects.visible_to(user)` is allowed: it is the policy's filter for lists. So are
    managers in modules that do not serve requests (actions, queries, access functions).
    """
    uses: list[ManagerUse] = []
    for name in sorted(face_modules(project)):
        module = project.modules[name]
        models, modules = _model_names(project, module)
        allowed: set[int] = set()
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "visible_to"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
            ):
                allowed.add(id(node.value))
        for node in ast.walk(module.tree):
            label: str | None = None
            if (
                isinstance(node, ast.Attribute)
                and node.attr in MANAGERS
                and id(node) not in allowed
            ):
                label = _label_of(node.value, models, modules)
            elif isinstance(node, ast.Call) and node.args:
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called in SHORTCUTS:
                    label = _label_of(node.args[0], models, modules)
            if label is not None and label in participant_data:
                uses.append(ManagerUse(name, label, getattr(node, "lineno", 0)))
    return sorted(uses, key=lambda use: (use.module, use.line))


def check_managers(
    project: Project,
    participant_data: Collection[str],
    allowed: Collection[tuple[str, str]] = contracts.MANAGER_ACCESS_ALLOWED,
) -> list[str]:
    """Manager uses in faces that the allow-list does not cover, as readable lines."""
    return [
        f"{project.modules[use.module].path}:{use.line}: {use.module} uses the manager of "
        f"{use.model}; open it through an access function or Model.objects.visible_to(user)"
        for use in manager_uses(project, participant_data)
        if (use.module, use.model) not in allowed
    ]
