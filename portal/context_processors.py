"""Values every page's navigation needs, decided by the permission functions."""

from django.http import HttpRequest

from .permissions import can_use_admin


def navigation(request: HttpRequest) -> dict[str, bool]:
    return {"nav_can_use_admin": can_use_admin(getattr(request, "user", None))}
