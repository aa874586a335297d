"""Test helpers: discharges and signed summaries built through the real actions."""

from __future__ import annotations

from datetime import date

from tests.personas import PASSWORD, World, org_today
from trellis.accounts.models import User
from trellis.participants.models import DischargeReason, Participant
from trellis.transitions import actions
from trellis.transitions.models import DischargeSummary, StepDownLevel


def discharge(
    actor: User,
    participant: Participant,
    *,
    on: date | None = None,
    reason: str = DischargeReason.COMPLETED,
    handed_to: User | None = None,
) -> DischargeSummary:
    """Discharge through the action: tasks closed, alerts handed to `handed_to` (a director)."""
    episode = participant.episodes.get()
    return actions.check_discharge_episode(
        actor,
        episode,
        discharged_on=on or org_today(),
        reason=reason,
        decisions=[
            actions.ItemDecision(a, close=a.is_task, owner=None if a.is_task else handed_to)
            for a in episode.alerts.filter(status__in=["open", "acknowledged"])
        ],
    )


def signed_summary(world: World, participant: Participant | None = None) -> DischargeSummary:
    """The persona discharged today by their therapist, with a signed summary and plan."""
    participant = participant or world.participant
    summary = discharge(world.clinician, participant, handed_to=world.director)
    summary = actions.check_save_summary(
        world.clinician,
        summary,
        narrative="Engaged well; mood improved; ready for weekly therapy.",
        aftercare=actions.AftercareInput(
            step_down_level=StepDownLevel.OUTPATIENT,
            provider="Riverside Counseling, 12 Main St, 555-0142",
            alumni_group="Thursday alumni group, 6 pm",
            crisis_steps=actions.CRISIS_DEFAULT,
        ),
        revision=summary.revision,
    )
    return actions.check_sign_summary(
        world.clinician,
        summary,
        typed_name=world.clinician.name,
        password=PASSWORD,
        revision=summary.revision,
    )


def transitions_walk_values(target: Participant) -> dict[str, str]:
    """Values for tests/test_url_access.py: the target's discharge summary when they have
    one (the walk after discharge signs one first), else an id that matches nothing."""
    import uuid

    summary = DischargeSummary.objects.filter(episode__participant=target).first()
    return {"summary_id": str(summary.public_id if summary else uuid.uuid4())}


def director_signed_summary(world: World, target: Participant) -> DischargeSummary:
    """The target discharged today by the program director, summary and plan signed."""
    summary = discharge(world.director, target, handed_to=world.director)
    summary = actions.check_save_summary(
        world.director,
        summary,
        narrative="Walk narrative.",
        aftercare=actions.AftercareInput(
            step_down_level=StepDownLevel.OUTPATIENT,
            provider="Walk provider",
            crisis_steps=actions.CRISIS_DEFAULT,
        ),
        revision=summary.revision,
    )
    return actions.check_sign_summary(
        world.director,
        summary,
        typed_name=world.director.name,
        password=PASSWORD,
        revision=summary.revision,
    )
