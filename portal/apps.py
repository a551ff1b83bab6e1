from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import page_cache
        from .accounts import two_factor
        from .page_links import register_page_links

        page_cache.connect_signals()
        two_factor.connect_signals()
        register_page_links()
        # Register the tasks in this process too: services enqueue them by name
        # (portal/invitations/services.py), which runs them eagerly where so configured.
        from . import tasks  # noqa: F401
