from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.plans.models import PlanSettings, PlanTemplate


@admin.register(PlanSettings)
class PlanSettingsAdmin(AuditedModelAdmin[PlanSettings]):
    list_display = ["program", "review_interval_days"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AuditedModelAdmin[PlanTemplate]):
    """Emergency access: a program's directors keep its templates on `plans:templates`."""

    list_display = ["name", "program", "is_active"]
    list_filter = ["program", "is_active"]
