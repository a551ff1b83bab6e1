"""open-data/: the page describing the exports, and the files themselves."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.OpenDataPageView.as_view(), name="page"),
    path("<str:name>", views.open_data_file, name="file"),
]
