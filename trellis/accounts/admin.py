"""Setup screens for sign-ins: users, their profiles and credentials, and permission groups.

Every change here is audited (trellis/audit/admin_base.py). Deactivating a user, or setting their
password, revokes their API tokens.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from trellis.accounts.actions import do_revoke_user_tokens
from trellis.accounts.models import Credential, StaffProfile, User
from trellis.audit.admin_base import AuditedAdminMixin, admin_actor


class StaffProfileInline(admin.StackedInline[StaffProfile, User]):
    model = StaffProfile
    fk_name = "user"
    can_delete = False


class CredentialInline(admin.TabularInline[Credential, User]):
    model = Credential
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin[User]):
    inlines = [StaffProfileInline, CredentialInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            do_revoke_user_tokens(admin_actor(request), obj, reason="deactivated")

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # A password set here voids the user's API tokens (their fingerprint no longer
        # matches); revoking them too shows it on their settings page, with the reason.
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    do_revoke_user_tokens(
                        admin_actor(request), user, reason="password set by admin"
                    )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    """Django's permission groups, audited like every other admin screen."""
