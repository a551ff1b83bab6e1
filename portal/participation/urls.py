"""A member's side of communities and meetings: joining, registering, cancelling."""

from django.urls import path  # noqa: F401

app_name = "participation"
urlpatterns: list = []
