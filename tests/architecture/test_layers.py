"""Imports follow the layer table of docs/architecture.md (tests/architecture/contracts.py)."""

from __future__ import annotations

import graphlib
from pathlib import Path

import pytest

from tests.architecture import contracts
from tests.architecture.graph import ROOT, check_layers, read_project


def test_imports_follow_the_layer_table() -> None:
    violations = check_layers(read_project(ROOT)).violations
    assert violations == [], "\n".join(["Imports against the layer table:", *violations])


def test_every_exception_is_still_needed() -> None:
    unused = check_layers(read_project(ROOT)).unused_exceptions
    assert unused == [], f"No longer imported: remove from EXCEPTIONS: {unused}"


def test_peer_imports_run_one_way() -> None:
    """Permitted peers form no cycle, so the apps of one layer still have an order."""
    graph: dict[str, set[str]] = {}
    for importer, imported in contracts.PEER_IMPORTS:
        graph.setdefault(importer, set()).add(imported)
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError on a cycle


PLANTED = [
    pytest.param(
        "audit/planted.py",
        "from trellis.plans.models import TreatmentPlan\n",
        "trellis.audit.planted imports trellis.plans.models: base may not import clinical",
        id="lower-imports-higher",
    ),
    pytest.param(
        "participants/planted.py",
        "def later() -> None:\n    from trellis.scheduling import hours\n",
        "trellis.participants.planted imports trellis.scheduling.hours: record may not import",
        id="deferred-import-counts",
    ),
    pytest.param(
        "measures/planted.py",
        "from trellis.plans import progress\n",
        "measures and plans are peers in clinical",
        id="peers-without-permission",
    ),
    pytest.param(
        "participants/planted.py",
        "from trellis.participants import views\n",
        "trellis.participants.planted imports trellis.participants.views: only a face may",
        id="model-side-imports-own-face",
    ),
    pytest.param(
        "participants/planted.py",
        "from trellis.programs import views\n",
        "trellis.participants.planted imports trellis.programs.views: record may not import faces",
        id="model-side-imports-lower-face",
    ),
    pytest.param(
        "worklist/planted.py",
        'from django.db import models\n\nnote = models.ForeignKey("notes.Note", on_delete=None)\n',
        "trellis.worklist.planted imports trellis.notes.models (model reference)",
        id="relation-by-string",
    ),
    pytest.param(
        "meetings/planted/views.py",
        "from trellis.notes import views\n",
        "meetings and notes are peers in faces",
        id="faces-of-two-apps",
    ),
    pytest.param(
        "reports/__init__.py",
        "",
        "trellis/reports/ has no layer",
        id="app-without-a-layer",
    ),
]


@pytest.mark.parametrize(("relative", "source", "expected"), PLANTED)
def test_a_planted_violation_is_reported(
    project_copy: Path, relative: str, source: str, expected: str
) -> None:
    before = check_layers(read_project(project_copy)).violations
    planted = project_copy / "trellis" / relative
    planted.parent.mkdir(exist_ok=True)
    planted.write_text(source)
    new = [v for v in check_layers(read_project(project_copy)).violations if v not in before]
    assert len(new) == 1, new
    assert expected in new[0]


def test_type_checking_imports_faces_and_access_modules_pass(project_copy: Path) -> None:
    before = check_layers(read_project(project_copy)).violations
    (project_copy / "trellis" / "audit" / "planted.py").write_text(
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from trellis.participants.models import Participant\n"
    )
    (project_copy / "trellis" / "audit" / "planted").mkdir()
    (project_copy / "trellis" / "audit" / "planted" / "views.py").write_text(
        "from trellis.participants.models import Participant\n"
    )
    (project_copy / "trellis" / "participants" / "access.py").write_text(
        "from trellis.privacy.access import access_participant\n"
    )
    (project_copy / "trellis" / "participants" / "planted").mkdir()
    (project_copy / "trellis" / "participants" / "planted" / "access.py").write_text(
        "from trellis.privacy.access import access_participant\n"
    )
    assert check_layers(read_project(project_copy)).violations == before


def test_an_exception_no_longer_needed_is_reported(project_copy: Path) -> None:
    entry = ("trellis.audit.models", "trellis.participants.models")
    assert entry in contracts.EXCEPTIONS
    before = check_layers(read_project(project_copy)).unused_exceptions
    models = project_copy / "trellis" / "audit" / "models.py"
    models.write_text(models.read_text().replace('"participants.Participant"', "Dropped"))
    after = check_layers(read_project(project_copy)).unused_exceptions
    assert set(after) - set(before) == {entry}
