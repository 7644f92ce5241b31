from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from igny8_core.accounts.models import Account, User


class AccountUserInline(admin.TabularInline):
    model = User
    fields = ["username", "email", "is_active"]
    readonly_fields = ["username", "email", "is_active"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "created_at"]
    search_fields = ["name"]
    inlines = [AccountUserInline]


@admin.register(User)
class IGNY8UserAdmin(UserAdmin):
    list_display = ["username", "email", "account", "is_staff", "is_active"]
    list_filter = ["account", "is_staff", "is_superuser", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("igny8", {"fields": ["account"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("igny8", {"fields": ["account"]}),)
