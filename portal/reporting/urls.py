"""Progress reports in the browser: requesting, following, downloading, the download log.

The reports page itself keeps its workspace name (workspace:reports, in
portal/workspace/urls.py) and is served by this package's ProjectReportsView.
portal/urls.py mounts project_report_urls under that page's address, and report_urls
under reports/.
"""

from django.urls import path

from . import views

app_name = "reporting"

# workspace/projects/<slug>/reports/
project_report_urls = [
    # The versions table alone, polled by the reports page while a version is in progress.
    path("versions/", views.report_versions, name="versions"),
    path("bundle/", views.BundleDownloadView.as_view(), name="bundle"),
    path("downloads/", views.DownloadLogView.as_view(), name="download_log"),
    # Reporting periods: texts and figures, and the sign-off with the funder.
    path("periods/open/", views.PeriodOpenView.as_view(), name="period_open"),
    path("periods/<int:pk>/", views.ReportingPeriodView.as_view(), name="period"),
]
# reports/
report_urls = [
    path("<int:pk>/download/", views.ReportDownloadView.as_view(), name="download"),
]
