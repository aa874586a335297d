"""Every write of measures: administrations, drafts, submissions, corrections, scores,
schedules and imports. Atomic and audited; alerts go to the worklist through its actions.

`checkins` holds a check-in's life (administration, link, draft, submission, correction) and
the score and alerts of each response; `schedules` the default schedules and the sweeps that
create and expire check-ins; `instruments` the import of an instrument; `setup` a program's
schedules (set by its director) and one episode's exceptions to them (set by the care team).
"""

from trellis.measures.actions.checkins import (
    check_correct_response,
    check_save_draft,
    check_start_administration,
    check_submit_response,
    do_claim_reminder,
    do_correct_response,
    do_create_administration,
    do_get_or_create_administration,
    do_hand_over_tablet,
    do_issue_link,
    do_queue_checkin_notice,
    do_record_past_response,
    do_save_draft,
)
from trellis.measures.actions.instruments import (
    check_import_instrument,
    check_instrument_definition,
    do_import_instrument,
)
from trellis.measures.actions.schedules import (
    DEFAULT_SCHEDULES,
    DefaultSchedule,
    do_create_default_schedules,
    do_mark_missed,
    do_schedule_checkins,
    due_date_for,
)
from trellis.measures.actions.setup import (
    REASON_LENGTH,
    OverrideMode,
    ScheduleData,
    check_create_schedule,
    check_retire_schedule,
    check_set_override,
    check_update_schedule,
    do_create_schedule,
    do_retire_schedule,
    do_set_override,
    do_update_schedule,
)

__all__ = [
    "DEFAULT_SCHEDULES",
    "REASON_LENGTH",
    "DefaultSchedule",
    "OverrideMode",
    "ScheduleData",
    "check_correct_response",
    "check_create_schedule",
    "check_import_instrument",
    "check_instrument_definition",
    "check_retire_schedule",
    "check_save_draft",
    "check_set_override",
    "check_start_administration",
    "check_submit_response",
    "check_update_schedule",
    "do_claim_reminder",
    "do_correct_response",
    "do_create_administration",
    "do_create_default_schedules",
    "do_create_schedule",
    "do_get_or_create_administration",
    "do_hand_over_tablet",
    "do_import_instrument",
    "do_issue_link",
    "do_mark_missed",
    "do_queue_checkin_notice",
    "do_record_past_response",
    "do_retire_schedule",
    "do_save_draft",
    "do_schedule_checkins",
    "do_set_override",
    "do_update_schedule",
    "due_date_for",
]
