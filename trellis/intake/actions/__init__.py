"""Every write of intake (docs/where-code-goes.md): `check_*` validates, `do_*` writes in one
transaction with its audit event. Modules by part of the journey; callers import from here."""

from trellis.intake.actions.board import (
    check_assign_inquiry,
    check_link_participant,
    check_merge_inquiry,
    check_refer_elsewhere,
    check_save_intake_settings,
    do_link_participant,
    do_merge_inquiry,
    do_save_intake_settings,
)
from trellis.intake.actions.inquiries import (
    InquiryDetails,
    check_change_inquiry_status,
    check_create_inquiry,
    do_assign_inquiry,
    do_change_inquiry_status,
    do_create_inquiry,
    do_log_inquiry_event,
    lock_inquiry,
)
from trellis.intake.actions.recommendation import (
    check_decide_level_of_care,
    check_save_rules,
    do_decide_level_of_care,
    do_save_rules,
)
from trellis.intake.actions.records import check_open_record
from trellis.intake.actions.screening import (
    check_start_screening,
    do_note_screening_progress,
    do_start_screening,
)

__all__ = [
    "InquiryDetails",
    "check_assign_inquiry",
    "check_change_inquiry_status",
    "check_create_inquiry",
    "check_decide_level_of_care",
    "check_link_participant",
    "check_merge_inquiry",
    "check_open_record",
    "check_refer_elsewhere",
    "check_save_intake_settings",
    "check_save_rules",
    "check_start_screening",
    "do_assign_inquiry",
    "do_change_inquiry_status",
    "do_create_inquiry",
    "do_decide_level_of_care",
    "do_link_participant",
    "do_log_inquiry_event",
    "do_merge_inquiry",
    "do_note_screening_progress",
    "do_save_intake_settings",
    "do_save_rules",
    "do_start_screening",
    "lock_inquiry",
]
