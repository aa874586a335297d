"""The program's peer-space settings (pre-moderation, named moderators). Posts, profiles and
reports are participant data and never appear in the admin: it bypasses the access spine."""

from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.peers.models import PeerSettings


@admin.register(PeerSettings)
class PeerSettingsAdmin(AuditedModelAdmin[PeerSettings]):
    list_display = ["program", "premoderation"]
    filter_horizontal = ["moderators"]
