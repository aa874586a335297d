from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.plans import actions
from trellis.plans import content as c
from trellis.plans.models import PlanVersion


def test_two_editors_of_one_draft_never_silently_lose_text(world: World) -> None:
    draft = actions.check_start_plan(world.clinician, world.participant.episodes.get())
    loaded_revision = draft.revision
    mine = c.load(draft.content)
    mine.strengths = "Mine: loves hiking"
    theirs = c.load(draft.content)
    theirs.strengths = "Theirs: good sense of humour"
    actions.check_save_draft(world.director, draft, theirs, revision=loaded_revision)
    with pytest.raises(actions.EditConflict) as caught:
        actions.check_save_draft(world.clinician, draft, mine, revision=loaded_revision)
    assert c.load(caught.value.current.content).strengths == "Theirs: good sense of humour"


def test_the_conflict_page_shows_both_versions(
    world: World, client_for: Callable[[User], Client]
) -> None:
    draft = actions.check_start_plan(world.clinician, world.participant.episodes.get())
    document = c.load(draft.content)
    theirs = document.model_copy(deep=True)
    theirs.strengths = "Theirs: good sense of humour"
    actions.check_save_draft(world.director, draft, theirs, revision=draft.revision)
    response = client_for(world.clinician).post(
        f"/participants/{world.participant.public_id}/plan/draft/",
        {"revision": draft.revision, "strengths": "Mine: loves hiking"},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this draft" in body
    assert "Theirs: good sense of humour" in body
    assert "Mine: loves hiking" in body
    assert c.load(PlanVersion.objects.get(pk=draft.pk).content).strengths.startswith("Theirs")
    # Saving again from the conflict page (it carries their revision) is a deliberate choice.
    current = PlanVersion.objects.get(pk=draft.pk)
    again = client_for(world.clinician).post(
        f"/participants/{world.participant.public_id}/plan/draft/",
        {"revision": current.revision, "strengths": "Mine: loves hiking"},
    )
    assert again.status_code == 302
