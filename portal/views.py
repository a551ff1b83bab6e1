"""The home page: what is running, what comes next and what is new, for anybody."""

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from portal.catalogue import selectors


class HomeView(TemplateView):
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
