"""Django's admin app, configured with the portal's admin site (portal/admin_site.py).

A module of its own: an apps module may declare one default AppConfig only, and the site
module imports the admin, which cannot happen before the apps are loaded.
"""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
