from django.utils import timezone
from django.views.generic import TemplateView

from projects.selectors import public_projects


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = public_projects()
        context["today"] = timezone.localdate()
        return context
