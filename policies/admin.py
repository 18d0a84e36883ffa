from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Policy, PolicyCharge, PolicyDocument, TurnoverDeclaration


class ReadOnly:
    """Rows the application's services write (with their history and documents): the admin
    only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    pass


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("number", "insured", "status", "currency", "start_date", "end_date")
    list_filter = ("status", "currency")
    search_fields = ("number", "insured__name")


@admin.register(TurnoverDeclaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ("policy", "period_start", "period_end", "turnover", "premium", "declared_at")


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ("policy", "kind", "version", "status", "language", "created_at")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PolicyCharge)
class PolicyChargeAdmin(ReadOnly, admin.ModelAdmin):
    """Charges are written by the services (declarations, limit decisions, the year-end job)."""

    list_display = ("policy", "kind", "amount", "charged_on", "reference", "invoice")
    list_filter = ("kind",)
    search_fields = ("policy__number", "reference")
