"""The program's peer-space settings (pre-moderation, named moderators). Posts, profiles and
reports are participant data and never appear in the admin: it bypasses the access spine."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest

from trellis.accounts.models import User
from trellis.audit.admin_base import AuditedModelAdmin
from trellis.peers.models import PeerSettings


@admin.register(PeerSettings)
class PeerSettingsAdmin(AuditedModelAdmin[PeerSettings]):
    list_display = ["program", "premoderation"]
    filter_horizontal = ["moderators"]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        """Moderators are chosen among active staff (someone with a role); a named moderator
        counts only while they hold a role in the program or its organization
        (peers.queries.moderated_program_ids)."""
        if db_field.name == "moderators":
            kwargs["queryset"] = User.objects.filter(
                is_active=True, memberships__is_active=True
            ).distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
