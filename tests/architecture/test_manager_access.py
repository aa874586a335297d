"""Pages and endpoints never query participant data through a model's manager.

A face that writes `Note.objects.get(public_id=...)` skips the access gate: no scope check, no
audit event, and no 404 that looks like "no such record". Faces open participant data through
`privacy.access`, an app's `access.py`, or list it with `Model.objects.visible_to(user)`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from tests.architecture import contracts
from tests.architecture.graph import ROOT, check_managers, manager_uses, read_project


def participant_data_models() -> set[str]:
    """Labels of the models whose rows belong to a participant: Participant, and every model
    with a foreign key (or one-to-one, many-to-many) to one of them, followed to the end;
    plus contracts.SHARED_CLINICAL_MODELS. Found from the models so a new one is covered."""
    data: set[type[models.Model]] = {apps.get_model("participants", "Participant")}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in data and any(
                field.concrete and field.is_relation and field.related_model in data
                for field in model._meta.get_fields()
            ):
                data.add(model)
                grew = True
    return {model._meta.label for model in data} | set(contracts.SHARED_CLINICAL_MODELS)


def test_participant_data_covers_the_clinical_record() -> None:
    for label in contracts.SHARED_CLINICAL_MODELS:
        apps.get_model(label)  # a misspelt label raises LookupError
    expected = {
        "participants.Participant",
        "participants.Episode",
        "participants.CareTeamMember",
        "measures.Score",
        "scheduling.Attendance",
        "scheduling.RosterMembership",
        "plans.TreatmentPlan",
        "notes.Note",
        "notes.GroupNoteEntry",
        "meetings.Discussion",
        "worklist.Alert",
    }
    assert expected <= participant_data_models()
    assert "programs.Program" not in participant_data_models()


def test_faces_do_not_touch_participant_data_managers() -> None:
    problems = check_managers(read_project(ROOT), participant_data_models())
    assert problems == [], "\n".join(["Faces that bypass the access gate:", *problems])


def test_the_allow_list_only_names_uses_that_still_exist() -> None:
    found = {
        (u.module, u.model) for u in manager_uses(read_project(ROOT), participant_data_models())
    }
    gone = sorted(contracts.MANAGER_ACCESS_ALLOWED - found)
    assert gone == [], f"Fixed: remove from MANAGER_ACCESS_ALLOWED: {gone}"


PLANTED = [
    pytest.param(
        "participants/planted/views.py",
        "from trellis.participants.models import Participant\n\n"
        "def page() -> None:\n    Participant.objects.get(pk=1)\n",
        "participants.Participant",
        id="manager-in-a-views-module",
    ),
    pytest.param(
        "notes/group/views.py",
        "from trellis.notes.models import GroupNote\n\nGroupNote.objects.all()\n",
        "notes.GroupNote",
        id="manager-in-the-views-of-a-sub-package",
    ),
    pytest.param(
        "notes/api.py",
        "from trellis.notes import models as note_models\n\nnote_models.Note.objects.all()\n",
        "notes.Note",
        id="manager-through-a-models-module-in-an-api",
    ),
    pytest.param(
        "plans/views/planted.py",
        "from django.shortcuts import get_object_or_404\n\n"
        "from trellis.plans.models import TreatmentPlan as Plan\n\n"
        "get_object_or_404(Plan, pk=1)\n",
        "plans.TreatmentPlan",
        id="shortcut-in-a-views-package",
    ),
    pytest.param(
        "scheduling/views/attendance.py",
        "from trellis.participants.models import CareTeamMember\n\n"
        "CareTeamMember._default_manager.filter(pk=1)\n",
        "participants.CareTeamMember",
        id="default-manager",
    ),
]


@pytest.mark.parametrize(("relative", "source", "model"), PLANTED)
def test_a_planted_manager_use_is_reported(
    project_copy: Path, relative: str, source: str, model: str
) -> None:
    data = participant_data_models()
    before = check_managers(read_project(project_copy), data)
    planted = project_copy / "trellis" / relative
    planted.parent.mkdir(exist_ok=True)
    # Appended to a real module when it exists: the allow-list must not hide a new model.
    existing = planted.read_text() if planted.exists() else ""
    planted.write_text(existing + "\n" + source)
    new = [p for p in check_managers(read_project(project_copy), data) if p not in before]
    assert len(new) == 1, new
    assert f"uses the manager of {model}" in new[0]


def test_a_page_module_routed_by_urls_is_a_face(project_copy: Path) -> None:
    data = participant_data_models()
    app = project_copy / "trellis" / "scheduling"
    (app / "planted.py").write_text(
        "from trellis.scheduling.models import Attendance\n\nAttendance.objects.all()\n"
    )

    def planted_problems() -> list[str]:
        problems = check_managers(read_project(project_copy), data)
        return [p for p in problems if "trellis.scheduling.planted uses" in p]

    assert planted_problems() == []  # not routed: a helper module may use managers
    (app / "urls.py").write_text((app / "urls.py").read_text() + "\nfrom . import planted\n")
    assert len(planted_problems()) == 1


def test_visible_to_and_non_face_modules_pass(project_copy: Path) -> None:
    data = participant_data_models()
    before = check_managers(read_project(project_copy), data)
    app = project_copy / "trellis" / "participants"
    (app / "planted").mkdir()
    (app / "planted" / "views.py").write_text(
        "from trellis.participants.models import Participant\n\n"
        "def page(user: object) -> None:\n    Participant.objects.visible_to(user).count()\n"
    )
    (app / "planted_queries.py").write_text(
        "from trellis.participants.models import Participant\n\nParticipant.objects.all()\n"
    )
    assert check_managers(read_project(project_copy), data) == before
