"""Emergency access for administrators to check-in schedules and on-call shifts.

Day-to-day set-up is on pages: a program's directors keep its schedules
(`measures:schedules`) and its on-call shifts (`worklist:on-call`). On-call shifts belong to
the worklist; their admin sits here because urgent alerts from measures are what they are
for. Admin changes are recorded in the audit trail (trellis/audit/admin_base.py).
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
