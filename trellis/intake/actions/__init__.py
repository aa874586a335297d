"""Every write of intake (docs/where-code-goes.md): `check_*` validates, `do_*` writes in one
transaction with its audit event. Modules by part of the journey; callers import from here."""

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
    "check_change_inquiry_status",
    "check_create_inquiry",
    "check_decline_offer",
    "check_leave_waitlist",
    "check_move_entry",
    "check_offer_seat",
    "check_open_record",
    "check_revise_consent_document",
    "check_save_admission_settings",
    "check_sign_consent",
    "do_add_to_waitlist",
    "do_admit",
    "do_assign_inquiry",
    "do_change_inquiry_status",
    "do_create_inquiry",
    "do_end_waitlist_entry",
    "do_log_inquiry_event",
    "do_record_consent",
    "do_seed_consent_documents",
    "do_send_waitlist_checkins",
    "earliest_admission",
    "lock_inquiry",
]
