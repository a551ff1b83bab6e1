"""Calendar pages: communities, meetings and the public update feeds."""

from django.urls import path

from . import feeds, ics_views, views

app_name = "calendar"
urlpatterns = [
    path("communities/<slug:slug>/", views.CommunityView.as_view(), name="community"),
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/month/<int:year>/<int:month>/", views.MonthView.as_view(), name="month"),
    path("meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("feeds/updates.rss", feeds.UpdatesFeed(), name="updates_rss"),
    path("feeds/updates.atom", feeds.AtomUpdatesFeed(), name="updates_atom"),
    # Calendar files (RFC 5545): one meeting, a community's meetings, a person's own feed.
    path("meetings/<int:pk>/calendar.ics", ics_views.MeetingCalendarFileView.as_view(), name="meeting_ics"),
    path("communities/<slug:slug>/calendar.ics", ics_views.CommunityCalendarFeedView.as_view(), name="community_ics"),
    path("calendar/feed/", ics_views.CalendarFeedSettingsView.as_view(), name="feed_settings"),
    # The token is the credential (calendar programs send no session); see ics_views.
    path("calendar/feed/<slug:token>.ics", ics_views.PersonalCalendarFeedView.as_view(), name="personal_feed"),
]
