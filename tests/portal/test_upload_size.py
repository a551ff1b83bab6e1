"""A multipart request larger than any form takes is refused before its body is read."""

from __future__ import annotations

import io

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.request_guards import RefuseUnreadableInputMiddleware
from tests.factories import DeliverableFactory, ProjectRoleFactory

pytestmark = pytest.mark.django_db


class UnreadableBody(io.BytesIO):
    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body(settings):
    settings.UPLOAD_MAX_REQUEST_SIZE = 1024
    request = RequestFactory().post("/workspace/", data=b"--x--\r\n", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(1024 + 1)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    reached: list[bool] = []

    def view(req):
        reached.append(True)
        return HttpResponse()

    response = RefuseUnreadableInputMiddleware(view)(request)
    assert response.status_code == 413
    assert not reached


def test_the_413_page_explains_in_the_visitors_language(client, settings):
    settings.UPLOAD_MAX_REQUEST_SIZE = 2 * 1024 * 1024
    deliverable = DeliverableFactory()
    client.force_login(ProjectRoleFactory(project=deliverable.project).user)
    url = reverse("workspace:deliverable_edit", kwargs={"pk": deliverable.pk})
    response = client.post(
        url,
        data=b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert '<html lang="de">' in body and "2 MB" in body


def test_an_upload_within_the_limit_passes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deliverable = DeliverableFactory()
    client.force_login(ProjectRoleFactory(project=deliverable.project).user)
    url = reverse("workspace:deliverable_edit", kwargs={"pk": deliverable.pk})
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    plan = {name: getattr(deliverable, name) for name in ("code", "title", "kind", "dissemination", "due_date")}
    data = {**plan, "status": "in_progress", "submitted_on": "", "url": "", "description": "", "file": pdf}
    assert client.post(url, data).status_code == 302
