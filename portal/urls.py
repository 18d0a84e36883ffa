from django.urls import path

from . import calendar, inbox, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", inbox.InboxOpenView.as_view(), name="inbox-open"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    # no sign-in: the secret in the address is the key (a calendar application reads it)
    path("calendar/<slug:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
