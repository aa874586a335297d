"""Every write of measures: administrations, drafts, submissions, corrections, scores,
schedules and imports. Atomic and audited; alerts go to the worklist through its actions.

`checkins` holds a check-in's life (administration, link, draft, submission, correction) and
the score and alerts of each response; `schedules` the default schedules and the sweeps that
create and expire check-ins; `instruments` the import of an instrument.
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
    do_record_past_response,
    do_save_draft,
)
from trellis.measures.actions.instruments import check_import_instrument, do_import_instrument
from trellis.measures.actions.schedules import (
    DEFAULT_SCHEDULES,
    DefaultSchedule,
    do_create_default_schedules,
    do_mark_missed,
    do_schedule_checkins,
    due_date_for,
)

__all__ = [
    "DEFAULT_SCHEDULES",
    "DefaultSchedule",
    "check_correct_response",
    "check_import_instrument",
    "check_save_draft",
    "check_start_administration",
    "check_submit_response",
    "do_claim_reminder",
    "do_correct_response",
    "do_create_administration",
    "do_create_default_schedules",
    "do_get_or_create_administration",
    "do_hand_over_tablet",
    "do_import_instrument",
    "do_issue_link",
    "do_mark_missed",
    "do_record_past_response",
    "do_save_draft",
    "do_schedule_checkins",
    "due_date_for",
]
