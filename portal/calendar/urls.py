"""Calendar pages: communities, meetings and the public update feeds.

portal/urls.py mounts each list under its prefix; community_urls and meeting_urls share
theirs with portal/registrations (join, leave, register).
"""

from django.urls import path

from . import feeds, ics_views, views

app_name = "calendar"

# communities/
community_urls = [
    path("<slug:slug>/", views.CommunityView.as_view(), name="community"),
    path("<slug:slug>/calendar.ics", ics_views.CommunityCalendarFeedView.as_view(), name="community_ics"),
]
# meetings/
meeting_urls = [
    path("", views.MeetingListView.as_view(), name="list"),
    # Every public meeting as one subscribable calendar, filtered like the list (?country=DE).
    path("calendar.ics", ics_views.PublicCalendarFeedView.as_view(), name="public_ics"),
    path("month/<int:year>/<int:month>/", views.MonthView.as_view(), name="month"),
    path("<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    # Calendar files (RFC 5545): one meeting here, a community's meetings above, a person's own feed below.
    path("<int:pk>/calendar.ics", ics_views.MeetingCalendarFileView.as_view(), name="meeting_ics"),
]
# feeds/
feed_urls = [
    path("updates.rss", feeds.UpdatesFeed(), name="updates_rss"),
    path("updates.atom", feeds.AtomUpdatesFeed(), name="updates_atom"),
]
# calendar/
personal_feed_urls = [
    path("feed/", ics_views.CalendarFeedSettingsView.as_view(), name="feed_settings"),
    # The token is the credential (calendar programs send no session); see ics_views.
    path("feed/<slug:token>.ics", ics_views.PersonalCalendarFeedView.as_view(), name="personal_feed"),
]
