from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from trellis.accounts.models import Credential, StaffProfile, User


class StaffProfileInline(admin.StackedInline[StaffProfile, User]):
    model = StaffProfile
    fk_name = "user"
    can_delete = False


class CredentialInline(admin.TabularInline[Credential, User]):
    model = Credential
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [StaffProfileInline, CredentialInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
