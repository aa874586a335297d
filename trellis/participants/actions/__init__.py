"""Every write to participants, episodes and care teams. Atomic, audited.

`enrollment` registers participants and carries an episode from opening through status
changes to discharge; `team` holds the care-team writes (the chart's Care team tab).
"""

from trellis.participants.actions.details import (
    ContactDetails,
    LegalIdentity,
    check_correct_identity,
    check_update_contact,
    do_correct_identity,
    do_update_contact,
    next_mrn,
)
from trellis.participants.actions.enrollment import (
    CHANGEABLE_STATUSES,
    EARLIEST_BIRTH_DATE,
    PLANNING_HORIZON,
    ParticipantDetails,
    check_change_status,
    check_create_participant,
    check_discharge,
    check_open_episode,
    check_set_planned_discharge,
    do_change_status,
    do_change_track,
    do_create_participant,
    do_discharge,
    do_link_participant_user,
    do_open_episode,
    do_set_planned_discharge,
)
from trellis.participants.actions.team import (
    check_add_care_team_member,
    check_add_care_team_member_as_primary,
    check_change_care_team_member,
    check_change_primary,
    check_end_care_team_member,
    do_add_care_team_member,
    do_change_care_team_role,
    do_end_care_team_member,
    do_make_primary,
)

__all__ = [
    "CHANGEABLE_STATUSES",
    "EARLIEST_BIRTH_DATE",
    "PLANNING_HORIZON",
    "ContactDetails",
    "LegalIdentity",
    "ParticipantDetails",
    "check_add_care_team_member",
    "check_add_care_team_member_as_primary",
    "check_change_care_team_member",
    "check_change_primary",
    "check_change_status",
    "check_correct_identity",
    "check_create_participant",
    "check_discharge",
    "check_end_care_team_member",
    "check_open_episode",
    "check_set_planned_discharge",
    "check_update_contact",
    "do_add_care_team_member",
    "do_change_care_team_role",
    "do_change_status",
    "do_change_track",
    "do_correct_identity",
    "do_create_participant",
    "do_discharge",
    "do_end_care_team_member",
    "do_link_participant_user",
    "do_make_primary",
    "do_open_episode",
    "do_set_planned_discharge",
    "do_update_contact",
    "next_mrn",
]
