"""Progress reports in the browser: requesting, following, downloading, the download log."""

from django.urls import path  # noqa: F401

app_name = "reporting"
urlpatterns: list = []
