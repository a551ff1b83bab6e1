"""Check-in: the attendance page of a meeting and the page a scanned QR code opens."""

from django.http import Http404
from django.views import View


class ScanView(View):
    def get(self, request, code: str):
        raise Http404
