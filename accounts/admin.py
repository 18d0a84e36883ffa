from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import InsuredCompany, User


@admin.register(InsuredCompany)
class InsuredCompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "country", "registration_number", "language")
    search_fields = ("name", "registration_number")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "company", "is_active", "last_login")
    list_filter = ("role", "is_active", "company")
    search_fields = ("username", "email", "first_name", "last_name", "company__name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role"), {"fields": ("role", "company", "language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("role", "company")}),
    )
