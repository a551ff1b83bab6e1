"""The home page: what is running, what comes next and what is new, for anybody; and the health check."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from portal.catalogue import selectors
from portal.page_cache import CachedForAnonymousMixin


class HomeView(CachedForAnonymousMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        now = timezone.now()
        today = timezone.localdate(now)
        return super().get_context_data(
            **kwargs,
            projects=selectors.running_public_projects(today),
            meetings=selectors.upcoming_meetings(self.request.user, now),
            updates=selectors.latest_public_updates(),
            today=today,
        )


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """ "ok" when the web process answers: for load balancers and the compose healthcheck.

    It runs through the whole middleware stack but reads no database, so a slow database
    does not make the orchestrator restart healthy web processes. bench/pages.py measures
    it as the floor: the cost of a request that does nothing.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
