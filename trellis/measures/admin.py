"""Setup screens for measurement: check-in schedules per program, and on-call shifts.

On-call shifts belong to the worklist; they are set up here because urgent alerts from
measures are what they are for, and the worklist app keeps no setup screens of its own.
Setup changes are recorded in the audit trail (trellis/audit/admin_base.py).
"""

from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.measures.models import Schedule
from trellis.worklist.models import ProgramOnCall


@admin.register(Schedule)
class ScheduleAdmin(AuditedModelAdmin[Schedule]):
    list_display = ["program", "instrument_code", "kind", "weekday", "offset_days", "is_active"]
    list_filter = ["program", "kind", "is_active"]


@admin.register(ProgramOnCall)
class ProgramOnCallAdmin(AuditedModelAdmin[ProgramOnCall]):
    list_display = ["program", "user", "starts_at", "ends_at"]
    list_filter = ["program"]
    autocomplete_fields = ["user"]
