"""Every write to schedules, rosters, attendance and feeds. Atomic, audited.

`check_*` validates (raising ValidationError with a {field: message} dict, nothing written)
and then calls `do_*`. Audit details carry identifiers, codes and counts; free text a person
typed (a correction reason, a walk-in reason) is stored on its own row, not in the trail.
"""

from trellis.scheduling.actions._shared import MAX_TOPICS, program_today
from trellis.scheduling.actions.attendance import (
    Mark,
    check_complete_attendance,
    check_record_attendance,
    check_set_hours_override,
    check_undo_attendance,
    do_complete_attendance,
    do_end_hours_override,
    do_record_attendance,
    do_set_hours_override,
    do_undo_attendance,
)
from trellis.scheduling.actions.feeds import (
    do_create_feed,
    do_revoke_feed,
    do_rotate_feed,
    hash_token,
)
from trellis.scheduling.actions.notices import check_send_notice, do_send_notice
from trellis.scheduling.actions.occurrences import (
    check_add_closure,
    check_reschedule_occurrence,
    check_substitute_facilitator,
    do_add_closure,
    do_cancel_occurrence,
    do_change_topic,
    do_reschedule_occurrence,
    do_restore_occurrence,
    do_substitute_facilitator,
)
from trellis.scheduling.actions.rosters import (
    check_add_to_roster,
    do_add_to_roster,
    do_end_roster_membership,
    do_end_rosters_at_discharge,
    do_join_track_series,
    do_move_rosters_to_track,
    roster_conflicts,
)
from trellis.scheduling.actions.series import (
    TIMING_FIELDS,
    SeriesData,
    check_create_series,
    check_update_series,
    do_create_series,
    do_split_series,
    do_update_series,
)
from trellis.scheduling.actions.setup import (
    check_retire_room,
    do_set_notice_prefills_excused,
    do_set_staff_feed_details,
)

__all__ = [
    "MAX_TOPICS",
    "TIMING_FIELDS",
    "Mark",
    "SeriesData",
    "check_add_closure",
    "check_add_to_roster",
    "check_complete_attendance",
    "check_create_series",
    "check_record_attendance",
    "check_reschedule_occurrence",
    "check_retire_room",
    "check_send_notice",
    "check_set_hours_override",
    "check_substitute_facilitator",
    "check_undo_attendance",
    "check_update_series",
    "do_add_closure",
    "do_add_to_roster",
    "do_cancel_occurrence",
    "do_change_topic",
    "do_complete_attendance",
    "do_create_feed",
    "do_create_series",
    "do_end_hours_override",
    "do_end_roster_membership",
    "do_end_rosters_at_discharge",
    "do_join_track_series",
    "do_move_rosters_to_track",
    "do_record_attendance",
    "do_reschedule_occurrence",
    "do_restore_occurrence",
    "do_revoke_feed",
    "do_rotate_feed",
    "do_send_notice",
    "do_set_hours_override",
    "do_set_notice_prefills_excused",
    "do_set_staff_feed_details",
    "do_split_series",
    "do_substitute_facilitator",
    "do_undo_attendance",
    "do_update_series",
    "hash_token",
    "program_today",
    "roster_conflicts",
]
