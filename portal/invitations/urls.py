from django.urls import path

from . import views

app_name = "invitations"
urlpatterns = [
    path("projects/<slug:slug>/", views.ProjectInvitationListView.as_view(), name="project_list"),
    path("projects/<slug:slug>/new/", views.ProjectInvitationCreateView.as_view(), name="project_create"),
    path("communities/<slug:slug>/", views.CommunityInvitationListView.as_view(), name="community_list"),
    path("communities/<slug:slug>/new/", views.CommunityInvitationCreateView.as_view(), name="community_create"),
    path("<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="revoke"),
    # <str:> takes anything but "/"; the token's own check refuses what we did not sign.
    path("accept/<str:token>/", views.InvitationAcceptView.as_view(), name="accept"),
    path("accept/<str:token>/signup/", views.InvitationSignupView.as_view(), name="accept_signup"),
]
