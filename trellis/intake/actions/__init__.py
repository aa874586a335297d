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

from trellis.intake.actions.admission import (  # isort: skip - needs records and waitlist
    ADMISSION_HORIZON,
    Admission,
    AdmissionDetails,
    check_admit,
    do_admit,
    earliest_admission,
)
from trellis.intake.actions.consents import (
    ConsentEntry,
    check_add_consent_document,
    check_revise_consent_document,
    check_save_admission_settings,
    check_sign_consent,
    do_record_consent,
    do_seed_consent_documents,
)
from trellis.intake.actions.waitlist import (
    check_add_to_waitlist,
    check_decline_offer,
    check_leave_waitlist,
    check_move_entry,
    check_offer_seat,
    do_add_to_waitlist,
    do_end_waitlist_entry,
    do_send_waitlist_checkins,
)

__all__ = [
    "ADMISSION_HORIZON",
    "Admission",
    "AdmissionDetails",
    "ConsentEntry",
    "InquiryDetails",
    "check_add_consent_document",
    "check_add_to_waitlist",
    "check_admit",
    "check_assign_inquiry",
    "check_change_inquiry_status",
    "check_create_inquiry",
    "check_decide_level_of_care",
    "check_decline_offer",
    "check_leave_waitlist",
    "check_link_participant",
    "check_merge_inquiry",
    "check_move_entry",
    "check_offer_seat",
    "check_open_record",
    "check_refer_elsewhere",
    "check_revise_consent_document",
    "check_save_admission_settings",
    "check_save_intake_settings",
    "check_save_rules",
    "check_sign_consent",
    "check_start_screening",
    "do_add_to_waitlist",
    "do_admit",
    "do_assign_inquiry",
    "do_change_inquiry_status",
    "do_create_inquiry",
    "do_decide_level_of_care",
    "do_end_waitlist_entry",
    "do_link_participant",
    "do_log_inquiry_event",
    "do_merge_inquiry",
    "do_note_screening_progress",
    "do_record_consent",
    "do_save_intake_settings",
    "do_save_rules",
    "do_seed_consent_documents",
    "do_send_waitlist_checkins",
    "do_start_screening",
    "earliest_admission",
    "lock_inquiry",
]
