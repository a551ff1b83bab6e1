"""The favicon: linked from every page, and /favicon.ico (asked for by browsers anyway) leads to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.templatetags.static import static
from django.test import RequestFactory


def test_favicon_ico_redirects_to_the_icon():
    from django.test import Client

    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_every_page_links_the_icon_and_the_icon_answers(client):
    page = client.get("/")
    assert page.status_code == 200
    href = static("favicon.svg")
    assert f'<link rel="icon" href="{href}" type="image/svg+xml">' in page.content.decode()

    # What /favicon.ico leads to is what the page links, and it is served (runserver serves
    # static files through django.contrib.staticfiles, production through whitenoise).
    assert client.get("/favicon.ico")["Location"] == href
    icon = serve(RequestFactory().get(href), href.removeprefix(settings.STATIC_URL), insecure=True)
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    svg = ET.fromstring(b"".join(icon.streaming_content))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_favicon_answers_only_reading_methods(client):
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405
