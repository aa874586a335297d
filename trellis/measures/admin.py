"""Emergency access for administrators to check-in schedules and on-call shifts.

Day-to-day set-up is on pages: a program's directors keep its schedules
(`measures:schedules`) and its on-call shifts (`worklist:on-call`). On-call shifts belong to
the worklist; their admin sits here because urgent alerts from measures are what they are
for. Admin changes are recorded in the audit trail (trellis/audit/admin_base.py).
"""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.measures.models import Schedule
from trellis.programs.models import Program
from trellis.worklist.models import ProgramOnCall, RecipientReason
from trellis.worklist.queries import urgent_alert_receivers


@admin.register(Schedule)
class ScheduleAdmin(AuditedModelAdmin[Schedule]):
    list_display = ["program", "instrument_code", "kind", "weekday", "offset_days", "is_active"]
    list_filter = ["program", "kind", "is_active"]


@admin.register(ProgramOnCall)
class ProgramOnCallAdmin(AuditedModelAdmin[ProgramOnCall]):
    list_display = ["program", "user", "starts_at", "ends_at"]
    list_filter = ["program"]
    autocomplete_fields = ["user"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Say, for each active program with no shift now, where its urgent alerts go instead.
        now = timezone.now()
        for program in Program.objects.filter(is_active=True).select_related("organization"):
            receivers = urgent_alert_receivers(program, now)
            if any(r.reason == RecipientReason.ON_CALL for r in receivers):
                continue
            if receivers:
                names = ", ".join(r.user.name for r in receivers)
                text = (
                    f"{program.name} has nobody on call now: its urgent alerts go to the "
                    f"program director ({names}) from the start, besides the primary clinician."
                )
            else:
                text = (
                    f"{program.name} has nobody on call now and no program director: its "
                    "urgent alerts reach the primary clinician only. Add a shift."
                )
            self.message_user(request, text, level=messages.WARNING)
        return super().changelist_view(request, extra_context)
