"""Directory pages: organisations across every project the visitor may see."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="list"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
]
