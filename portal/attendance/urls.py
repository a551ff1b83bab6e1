"""Check-in, attendance sheets, statistics and exports of meetings, for their coordinators."""

from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    # What a registration's QR code encodes (events/checkin_codes.py makes the code).
    path("attendance/scan/<str:code>/", views.ScanView.as_view(), name="scan"),
]
