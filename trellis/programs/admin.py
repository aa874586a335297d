"""Setup screens for administrators: organizations, sites, rooms, programs, tracks, memberships.

Participant data is deliberately absent from the admin: it bypasses the access spine.
"""

from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.programs.models import Membership, Organization, Program, Room, Site, Track


class SiteInline(admin.TabularInline[Site, Organization]):
    model = Site
    extra = 0


class RoomInline(admin.TabularInline[Room, Site]):
    model = Room
    extra = 0


class TrackInline(admin.TabularInline[Track, Program]):
    model = Track
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin[Organization]):
    list_display = ["name", "time_zone"]
    inlines = [SiteInline]


@admin.register(Site)
class SiteAdmin(AuditedModelAdmin[Site]):
    list_display = ["name", "organization", "city", "state"]
    inlines = [RoomInline]


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin[Program]):
    list_display = [
        "name",
        "organization",
        "population",
        "level_of_care",
        "min_hours_per_week",
        "max_hours_per_week",
        "is_active",
    ]
    list_filter = ["organization", "population", "is_active"]
    inlines = [TrackInline]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin[Membership]):
    list_display = ["user", "organization", "program", "role", "clinician_kind", "is_active"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["user__username", "user__last_name"]
