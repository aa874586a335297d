"""The background task results' screen (django-tasks-db), on the audited admin base like
every other admin screen (trellis/audit/admin.py). It is read-only."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin as BaseDBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from trellis.audit.admin import AuditedAdminMixin

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class DBTaskResultAdmin(AuditedAdminMixin, BaseDBTaskResultAdmin):
    pass
