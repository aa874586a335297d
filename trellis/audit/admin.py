"""The background task results' screen (django-tasks-db), on the audited admin base like
every other admin screen (trellis/audit/admin_base.py). It is read-only. It lives here, beside
the base it uses: lib sits below audit and may not import it."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin as BaseDBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from trellis.audit.admin_base import AuditedAdminMixin

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class DBTaskResultAdmin(AuditedAdminMixin, BaseDBTaskResultAdmin):
    pass
