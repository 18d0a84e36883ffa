"""The in-app inbox: every user's own notifications (decisions, reductions, risk events), newest
first; opening one marks it read and follows its link."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from core.models import Notification

PAGE_SIZE = 25


# Reads ----------------------------------------------------------------------------------------


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first: nobody reads another's inbox."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """How many of the user's notifications are unread (for the navbar badge)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# Writes ---------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (once: the first reading time is kept).
    Another user's notification is not found."""
    notification = get_object_or_404(
        Notification.objects.select_for_update().filter(user=user), pk=notification_id
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Pages ----------------------------------------------------------------------------------------


class InboxView(LoginRequiredMixin, ListView):
    """GET: the user's messages; POST: mark them all read."""

    template_name = "portal/inbox.html"
    paginate_by = PAGE_SIZE
    context_object_name = "notifications"

    def get_queryset(self):
        qs = notifications_for(self.request.user)
        if self.request.GET.get("show") == "unread":
            qs = qs.filter(read_at__isnull=True)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_total"] = unread_count(self.request.user)
        ctx["show"] = "unread" if self.request.GET.get("show") == "unread" else "all"
        return ctx

    def post(self, request, *args, **kwargs):
        count = notifications_mark_all_read(user=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s message marked as read.",
                    "%(count)s messages marked as read.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("There were no unread messages."))
        return redirect("inbox")


class InboxOpenView(LoginRequiredMixin, View):
    """GET /inbox/<pk>/: mark the message read and go where it points (or back to the inbox)."""

    def get(self, request, pk):
        notification = notification_mark_read(user=request.user, notification_id=pk)
        url = notification.url
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(url)
        return redirect(reverse("inbox"))
