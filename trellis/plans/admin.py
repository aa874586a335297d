from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.plans.models import PlanSettings, PlanTemplate


@admin.register(PlanSettings)
class PlanSettingsAdmin(AuditedModelAdmin[PlanSettings]):
    list_display = ["program", "review_interval_days"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AuditedModelAdmin[PlanTemplate]):
    """Templates are program set-up (no participant data), edited by administrators."""

    list_display = ["name", "program", "is_active"]
    list_filter = ["program", "is_active"]
