"""The public project catalogue and project pages."""

from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<slug:slug>/", views.ProjectDetailView.as_view(), name="detail"),
]
