"""Calendar pages: communities, meetings and the public update feeds."""

from django.urls import path

from . import feeds, views

app_name = "calendar"
urlpatterns = [
    path("communities/<slug:slug>/", views.CommunityView.as_view(), name="community"),
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/month/<int:year>/<int:month>/", views.MonthView.as_view(), name="month"),
    path("meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("feeds/updates.rss", feeds.UpdatesFeed(), name="updates_rss"),
    path("feeds/updates.atom", feeds.AtomUpdatesFeed(), name="updates_atom"),
]
