from django.urls import path
from django.views.generic import TemplateView

# Placeholder until the profile page lands (accounts work).
urlpatterns: list = [
    path("profile/", TemplateView.as_view(template_name="base.html"), name="account_profile"),
]
