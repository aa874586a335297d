"""Setup screens for sign-ins: users, their profiles and credentials, and permission groups.

Every change here is audited (trellis/audit/admin.py). Deactivating a user, or setting their
password, revokes their API tokens.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from trellis.accounts.actions import do_revoke_user_tokens
from trellis.accounts.models import Credential, StaffProfile, User
from trellis.audit.admin import AuditedAdminMixin


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
            do_revoke_user_tokens(_actor(request), obj, reason="deactivated")

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            after = User.objects.filter(pk=id).values_list("password", flat=True).first()
            if before is not None and after != before:
                user = User.objects.get(pk=id)
                do_revoke_user_tokens(_actor(request), user, reason="password set by admin")
        return response


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    """Django's permission groups, audited like every other admin screen."""
