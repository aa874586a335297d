"""The program's messaging settings (the expected reply time). Messages themselves are
participant data and never appear in the admin: it bypasses the access spine."""

from django.contrib import admin

from trellis.audit.admin_base import AuditedModelAdmin
from trellis.messaging.models import ProgramInbox


@admin.register(ProgramInbox)
class ProgramInboxAdmin(AuditedModelAdmin[ProgramInbox]):
    list_display = ["program", "reply_time"]
