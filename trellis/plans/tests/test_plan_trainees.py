"""Issue 9 item 7: a trainee's plan never stands on the trainee's signature alone. Plans go
further than progress notes: a trainee cannot sign one at all (a licensed clinician signs),
so there is nothing to co-sign."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.personas import PASSWORD, World, make_staff
from trellis.accounts.actions import do_set_supervisor
from trellis.accounts.models import StaffProfile
from trellis.plans import actions
from trellis.plans.models import VersionStatus
from trellis.plans.tests.factory import complete_content, draft_with
from trellis.programs.models import ClinicianKind, Role


def test_a_trainee_cannot_sign_a_plan_even_with_a_supervisor(world: World) -> None:
    trainee = make_staff(
        "tara.trainee", "Tara", "Trainee", world.organization, Role.CLINICIAN, world.program,
        ClinicianKind.COUNSELOR, "LSW",
    )  # fmt: skip
    StaffProfile.objects.filter(user=trainee).update(is_trainee=True)
    do_set_supervisor(None, trainee, world.director)
    trainee.refresh_from_db()
    episode = world.participant.episodes.get()
    draft = draft_with(world.clinician, episode, complete_content(world.clinician))
    with pytest.raises(ValidationError) as refused:
        actions.check_sign_plan(
            trainee, draft, typed_name=trainee.name, password=PASSWORD, revision=draft.revision
        )
    assert "not a trainee" in " ".join(refused.value.message_dict["signer"])
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
