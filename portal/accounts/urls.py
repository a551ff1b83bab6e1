"""Our account pages; included before allauth's under /accounts/."""

from django.urls import path

from portal.legal.views import PrivacyNoticeView

from . import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="account_profile"),
    path("privacy/", PrivacyNoticeView.as_view(), name="privacy_notice"),
    path("profile/data/", views.PersonalDataDownloadView.as_view(), name="account_data_download"),
    path("profile/api-tokens/", views.ApiTokensView.as_view(), name="account_api_tokens"),
    path("profile/api-tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="account_api_token_revoke"),
    path("profile/delete/", views.AccountEraseView.as_view(), name="account_erase"),
    path("deleted/", views.AccountErasedView.as_view(), name="account_erased"),
]
