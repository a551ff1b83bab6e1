from django.contrib import admin
from django.urls import include, path

from . import views

# The public pages come first: Django tries the patterns in order, and every include
# without a prefix that does not match costs each request that passes it.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("projects/", include("portal.catalogue.urls")),
    path("", include("portal.directory.urls")),
    path("", include("portal.calendar.urls")),
    path("search/", include("portal.search.urls")),
    path("", include("portal.workspace.urls")),
    path("", include("portal.registrations.urls")),
    path("", include("portal.attendance.urls")),
    path("", include("portal.reporting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("portal.invitations.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded media are never served from MEDIA_URL, not even in DEBUG: every file goes
# through a view that checks permission first (e.g. workspace:deliverable_file).
