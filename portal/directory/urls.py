"""Directory pages: organisations across every project the visitor may see.

Mounted under organisations/ by portal/urls.py.
"""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
]
