"""The home page: what is running, what comes next and what is new, for anybody; and the health check."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from portal import readiness
from portal.catalogue import selectors
from portal.design_sample import DesignSampleForm
from portal.page_cache import CachedForAnonymousMixin


class HomeView(CachedForAnonymousMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        now = timezone.now()
        today = timezone.localdate(now)
        user = self.request.user
        # Built when the page's fragment is rendered (templates/portal/home.html), not on a hit.
        return super().get_context_data(
            **kwargs,
            projects=SimpleLazyObject(lambda: selectors.running_public_projects(today)),
            meetings=SimpleLazyObject(lambda: selectors.upcoming_meetings(user, now)),
            updates=SimpleLazyObject(lambda: selectors.latest_public_updates()),
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


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links (and for files that are not
    pages): send them to the icon the base template links, instead of a 404 in every log."""
    response = HttpResponseRedirect(static("favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


# Crawlers may read every public page; the personal and internal ones answer them with a
# redirect to the sign-in page anyway, so they are left out to save both sides the trip.
ROBOTS_DISALLOW = ("/admin/", "/dashboard/", "/workspace/", "/my/", "/registrations/", "/calendar/")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Each dependency's state, for operators and monitoring: 200 when all answer, else 503.

    Unlike /healthz/ it asks the database, Redis and the workers, so it is not the load
    balancer's check: a Redis outage degrades the pages, it does not stop them.
    """
    checks = readiness.recent_checks()
    ok = all(check.ok for check in checks)
    body = {"status": "ok" if ok else "degraded", "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return JsonResponse(body, status=200 if ok else 503)


class DesignSystemView(TemplateView):
    """The portal's components on one page (static/css/portal.css, README "Design system").

    A living reference for people who write templates: each component as the pages use
    it, in the page's language. It shows made-up sample content and no data.
    """

    template_name = "portal/design_system.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs, form=DesignSampleForm({"title": "", "email": "not an address"}))
