"""Progress reports in the browser: requesting, following, downloading, the download log.

The reports page itself keeps its workspace name (workspace:reports, in
portal/workspace/urls.py) and is served by this package's ProjectReportsView.
"""

from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    # The versions table alone, polled by the reports page while a version is in progress.
    path("workspace/projects/<slug:slug>/reports/versions/", views.report_versions, name="versions"),
    path("workspace/projects/<slug:slug>/reports/bundle/", views.BundleDownloadView.as_view(), name="bundle"),
    path("workspace/projects/<slug:slug>/reports/downloads/", views.DownloadLogView.as_view(), name="download_log"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="download"),
]
