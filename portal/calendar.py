"""Each user's calendar feed: a private subscription address (`/calendar/<secret>.ics`) that a
calendar application reads without signing in, listing the user's deadlines as all-day events
(portal.calendar_events), in the user's language, each linking into the app. The calendar page
shows the address to copy and makes a new one on request; the old one then answers 404."""

import secrets
from datetime import timedelta

import icalendar
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from accounts.access import EVERYONE, RoleRequiredMixin
from core.notify import site_link, user_language

from .calendar_events import FeedEvent, events_for
from .models import CalendarFeed

TOKEN_BYTES = 32  # 43 URL-safe characters


# The secret -----------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_make(*, actor) -> CalendarFeed:
    """Give `actor` a new secret address; any earlier one stops working at once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed, _created = CalendarFeed.objects.select_for_update().update_or_create(
        user=actor, defaults={"token": token}
    )
    return feed


def feed_url(feed: CalendarFeed) -> str:
    return site_link(reverse("calendar-feed", args=[feed.token]))


# The feed -------------------------------------------------------------------------------------


def ics(events: list[FeedEvent], *, name: str) -> bytes:
    """The events as an iCalendar file: all-day events with stable UIDs."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Credit insurance//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for e in events:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", e.day)
        event.add("dtend", e.day + timedelta(days=1))
        event.add("summary", e.summary)
        event.add("description", f"{e.description}\n\n{site_link(e.path)}")
        event.add("url", site_link(e.path))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


@require_safe
def calendar_feed(request, token: str):
    """The feed of the user whose secret `token` is; 404 for any other."""
    feed = (
        CalendarFeed.objects.select_related("user", "user__company")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    user = feed.user
    with translation.override(user_language(user)):
        body = ics(events_for(user, timezone.localdate()), name=_("Credit insurance deadlines"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# The page -------------------------------------------------------------------------------------


class CalendarView(RoleRequiredMixin, TemplateView):
    """The user's subscription address, and a button that makes a new one."""

    allowed_roles = EVERYONE
    template_name = "portal/calendar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        url = feed_url(feed) if feed else ""
        ctx.update(
            feed=feed,
            url=url,
            webcal=url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        had = CalendarFeed.objects.filter(user=request.user).exists()
        calendar_feed_make(actor=request.user)
        messages.success(
            request,
            _("A new calendar address is made: the old one no longer works.")
            if had
            else _("Your calendar address is made: add it to your calendar application."),
        )
        return redirect("calendar")
