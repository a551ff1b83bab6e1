"""Deliverable files are documents and images, recognised by their bytes (issue 15, finding 5)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.admin import DeliverableAdminForm
from projects.models import Deliverable
from projects.services import DELIVERABLE_CONSTRAINT_FIELDS
from projects.uploads import detect, validate_document_upload
from projects.validation import save_validated
from tests.factories import DeliverableFactory, ProjectFactory, ProjectRoleFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            # ODF wants "mimetype" first and stored; writing in order does the first part.
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", "word/document.xml": b"<w/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", PDF),
        ("report.docx", DOCX),
        ("budget.xlsx", XLSX),
        ("report.odt", ODT),
        ("report.doc", OLE2),
        ("photo.png", PNG),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("photo.gif", b"GIF89a" + b"\x00" * 20),
        ("photo.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20),
    ],
)
def test_documents_and_images_are_accepted(name, data):
    validate_document_upload(upload(name, data))


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("report.pdf", HTML, "file_type"),  # the name and the browser's type lie
        ("drawing.svg", SVG, "file_type"),
        ("report.html", HTML, "file_type"),
        ("archive.zip", _zip({"a.txt": b"a"}), "file_type"),
        ("odd.odt", _zip({"mimetype": b"text/html", "content.xml": b"<x/>"}), "file_type"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "file_type"),
        ("report.pdf", DOCX, "file_extension"),  # a real document under another kind's name
        ("report", PDF, "file_extension"),
        ("photo.png", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "file_extension"),
    ],
)
def test_other_files_are_refused_with_the_allowed_kinds_named(name, data, code):
    with pytest.raises(ValidationError) as error:
        validate_document_upload(upload(name, data))
    assert error.value.code == code
    if code == "file_type":
        assert "PDF, DOC, DOCX" in str(error.value.messages[0]) and "PNG, JPEG" in str(error.value.messages[0])


def test_detection_leaves_the_file_at_its_start():
    handle = io.BytesIO(DOCX)
    assert detect(handle).kind == "docx"
    assert handle.tell() == 0


@pytest.mark.django_db
def test_the_model_refuses_an_html_file_and_writes_no_row_and_no_file(settings, tmp_path):
    """The admin saves through the model's validation, so it gets the same check."""
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory()
    before = Deliverable.objects.count()
    deliverable = DeliverableFactory.build(project=project, file=upload("report.pdf", HTML))
    with pytest.raises(ValidationError) as error:
        save_validated(deliverable, constraint_fields=DELIVERABLE_CONSTRAINT_FIELDS)
    assert "file" in error.value.message_dict
    assert Deliverable.objects.count() == before
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.django_db
def test_a_stored_file_is_not_checked_again_on_later_edits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    legacy = DeliverableFactory(file=ContentFile(HTML, name="legacy.html"))  # from before the check
    legacy.refresh_from_db()
    legacy.description = "still editable"
    legacy.full_clean()


# --- The workspace form and the download ------------------------------------------------


def _form(deliverable: Deliverable, **overrides) -> dict:
    # A coordinator's form also holds the plan, which stays as it is.
    plan = {name: getattr(deliverable, name) for name in ("code", "title", "kind", "dissemination", "due_date")}
    return {**plan, "status": "in_progress", "submitted_on": "", "url": "", "description": "", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize("name, data", [("report.pdf", HTML), ("drawing.svg", SVG)])
def test_the_workspace_form_shows_the_refusal_and_keeps_nothing(client, settings, tmp_path, name, data):
    settings.MEDIA_ROOT = tmp_path
    deliverable = DeliverableFactory()
    client.force_login(ProjectRoleFactory(project=deliverable.project).user)
    url = reverse("workspace:deliverable_edit", kwargs={"pk": deliverable.pk})
    response = client.post(url, _form(deliverable, file=upload(name, data, "image/svg+xml")))
    assert response.status_code == 200
    assert response.context["form"].has_error("file", "file_type")
    assert "This kind of file cannot be uploaded" in response.content.decode()
    deliverable.refresh_from_db()
    assert not deliverable.file
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("report.pdf", PDF, "application/pdf"),
        ("report.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("report.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("photo.png", PNG, "image/png"),
    ],
)
def test_an_accepted_file_is_stored_and_served_as_its_detected_type(
    client, settings, tmp_path, name, data, content_type
):
    settings.MEDIA_ROOT = tmp_path
    deliverable = DeliverableFactory()
    client.force_login(ProjectRoleFactory(project=deliverable.project).user)
    url = reverse("workspace:deliverable_edit", kwargs={"pk": deliverable.pk})
    # The browser's claimed type is ignored either way.
    assert client.post(url, _form(deliverable, file=upload(name, data, "text/html"))).status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.file.read() == data
    response = client.get(reverse("workspace:deliverable_file", kwargs={"pk": deliverable.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_stored_file_of_no_allowed_kind_is_served_as_bare_bytes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    legacy = DeliverableFactory(file=ContentFile(HTML, name="legacy.html"))
    response = client.get(reverse("workspace:deliverable_file", kwargs={"pk": legacy.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("name, data, valid", [("report.pdf", HTML, False), ("report.pdf", PDF, True)])
def test_the_admin_form_gets_the_same_check(name, data, valid):
    deliverable = DeliverableFactory()
    fields = ("project", "code", "title", "kind", "dissemination", "due_date", "status")
    values = {field: getattr(deliverable, field) for field in fields}
    values["project"] = deliverable.project_id
    form = DeliverableAdminForm(data=values, files={"file": upload(name, data)}, instance=deliverable)
    assert form.is_valid() is valid
    if not valid:
        assert form.has_error("file", "file_type")
