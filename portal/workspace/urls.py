from django.urls import path
from django.views.generic import TemplateView

app_name = "workspace"
# Placeholder until the dashboards land (workspace work).
urlpatterns: list = [
    path("dashboard/", TemplateView.as_view(template_name="base.html"), name="dashboard"),
]
