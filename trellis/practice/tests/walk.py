"""Values for the URL walk (tests/test_url_access.py): practice assigned to the target at
the walk's attendance sheet (scheduling_walk_values marks them present there first), so the
walk also sees the "who practised" panel."""

from __future__ import annotations

from datetime import timedelta

from tests.personas import World
from trellis.participants.models import Participant
from trellis.practice.actions.assignments import AssignmentData, do_assign_to_present
from trellis.practice.tests.helpers import dear_man
from trellis.scheduling.models import Attendance
from trellis.scheduling.queries import attendance_for, find_slot


def practice_assign_walk_values(world: World, target: Participant) -> dict[str, str]:
    episode = target.episodes.get()
    today = episode.program.organization.today()
    mark = (
        Attendance.objects.filter(episode=episode)
        .select_related("occurrence__series")
        .latest("marked_at")
    )
    slot = find_slot(mark.occurrence.series.public_id, mark.occurrence.original_date)
    assert slot is not None
    attendance_for([slot])
    facilitator = episode.care_team.get(is_primary=True).user
    (assignment,) = do_assign_to_present(
        facilitator,
        slot,
        AssignmentData(
            title="Practise DEAR MAN once",
            due_on=today + timedelta(days=2),
            starts_on=today,
            skill=dear_man(episode.program.organization),
        ),
    )
    return {"assignment_id": str(assignment.public_id)}
