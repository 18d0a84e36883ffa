from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Debtor


@admin.register(Debtor)
class DebtorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "country", "registration_number", "legal_form", "city")
    list_filter = ("country",)
    search_fields = ("name", "registration_number")
