"""Intake's tables, one module per part of the journey (docs/intake-and-discharge.md).

Each module's models are re-exported here, so Django and callers find them as
`trellis.intake.models.<Name>`. A new module adds one import block and its names to
`__all__`."""

from trellis.intake.models.admission import (
    DEFAULT_BASELINE_DAYS,
    DEFAULT_PLAN_DUE_DAYS,
    AdmissionSettings,
    ConsentDocument,
    ConsentMethod,
    ConsentSignature,
)
from trellis.intake.models.inquiries import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    CloseReason,
    ContactPreference,
    EventKind,
    Inquiry,
    InquiryEvent,
    InquiryQuerySet,
    InquirySource,
    InquiryStatus,
    Payment,
    PreferredSchedule,
)
from trellis.intake.models.recommendation import (
    ELSEWHERE,
    Condition,
    Level,
    LevelOfCareDecision,
    LevelOfCareRule,
)
from trellis.intake.models.screening import (
    DEFAULT_BATTERY,
    LINK_HOURS,
    Screening,
    ScreeningChannel,
)
from trellis.intake.models.settings import (
    DEFAULT_REPLY_DAYS,
    IntakeSettings,
)
from trellis.intake.models.waitlist import (
    WAITING_STATUSES,
    LeaveReason,
    WaitlistEntry,
    WaitlistEvent,
    WaitlistEventKind,
    WaitlistStatus,
)

__all__ = [
    "CLOSED_STATUSES",
    "DEFAULT_BASELINE_DAYS",
    "DEFAULT_BATTERY",
    "DEFAULT_PLAN_DUE_DAYS",
    "DEFAULT_REPLY_DAYS",
    "ELSEWHERE",
    "LINK_HOURS",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "WAITING_STATUSES",
    "AdmissionSettings",
    "CloseReason",
    "Condition",
    "ConsentDocument",
    "ConsentMethod",
    "ConsentSignature",
    "ContactPreference",
    "EventKind",
    "Inquiry",
    "InquiryEvent",
    "InquiryQuerySet",
    "InquirySource",
    "InquiryStatus",
    "IntakeSettings",
    "LeaveReason",
    "Level",
    "LevelOfCareDecision",
    "LevelOfCareRule",
    "Payment",
    "PreferredSchedule",
    "Screening",
    "ScreeningChannel",
    "WaitlistEntry",
    "WaitlistEvent",
    "WaitlistEventKind",
    "WaitlistStatus",
]
