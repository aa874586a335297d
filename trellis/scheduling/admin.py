"""Setup screens for scheduling: per-program feed settings.

Closures and series are not here: they have pages whose actions cancel, notify and audit.
"""

from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.scheduling.models import ProgramScheduleSettings


@admin.register(ProgramScheduleSettings)
class ProgramScheduleSettingsAdmin(AuditedModelAdmin[ProgramScheduleSettings]):
    list_display = ["program", "staff_feed_details", "notice_prefills_excused"]
