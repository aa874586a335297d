from django.contrib import admin

from trellis.plans.models import PlanSettings, PlanTemplate


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin[PlanSettings]):
    list_display = ["program", "review_interval_days"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin[PlanTemplate]):
    """Templates are program set-up (no participant data), edited by administrators."""

    list_display = ["name", "program", "is_active"]
    list_filter = ["program", "is_active"]
