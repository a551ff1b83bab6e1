"""Check-in, attendance sheets, statistics and exports of meetings, for their coordinators.

Mounted under attendance/ by portal/urls.py.
"""

from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("meetings/<int:pk>/", views.MeetingAttendanceView.as_view(), name="meeting"),
    path("meetings/<int:pk>/sheet.pdf", views.AttendanceSheetView.as_view(), name="sheet"),
    path("meetings/<int:pk>/registrations.csv", views.ExportCsvView.as_view(), name="export_csv"),
    path("meetings/<int:pk>/registrations.xlsx", views.ExportXlsxView.as_view(), name="export_xlsx"),
    # POST only, from the rows of the attendance page.
    path("registrations/<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("registrations/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("registrations/<int:pk>/restore/", views.RestoreView.as_view(), name="restore"),
    path("registrations/<int:pk>/move/", views.MoveView.as_view(), name="move"),
    # What a registration's QR code encodes (events/checkin_codes.py makes the code).
    path("scan/<str:code>/", views.ScanView.as_view(), name="scan"),
    path("communities/<slug:slug>/statistics/", views.CommunityStatisticsView.as_view(), name="community_statistics"),
]
