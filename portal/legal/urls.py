"""The legal pages under /legal/ (the privacy notice itself stays at /accounts/privacy/)."""

from django.urls import path

from . import views

app_name = "legal"

urlpatterns = [
    path("imprint/", views.ImprintView.as_view(), name="imprint"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/accept/", views.PrivacyAcceptView.as_view(), name="privacy_accept"),
]
