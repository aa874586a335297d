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
from trellis.intake.actions.records import check_open_record

__all__ = [
    "InquiryDetails",
    "check_assign_inquiry",
    "check_change_inquiry_status",
    "check_create_inquiry",
    "check_link_participant",
    "check_merge_inquiry",
    "check_open_record",
    "check_refer_elsewhere",
    "check_save_intake_settings",
    "do_assign_inquiry",
    "do_change_inquiry_status",
    "do_create_inquiry",
    "do_link_participant",
    "do_log_inquiry_event",
    "do_merge_inquiry",
    "do_save_intake_settings",
    "lock_inquiry",
]
