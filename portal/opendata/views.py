"""The /open-data/ page and its files, served from what the scheduled task last wrote.

Nothing here builds a file: a missing file (before the first run) is a 404 that says so.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .build import licence, open_data_dir, open_data_metadata
from .fields import DATASETS, FORMATS, METADATA_FILE

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
FILE_NAMES = {f"{stem}.{extension}" for stem in DATASETS for extension in FORMATS} | {METADATA_FILE}


class OpenDataPageView(TemplateView):
    template_name = "opendata/page.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        metadata = open_data_metadata()
        generated_at = parse_datetime(metadata["generatedAt"]) if metadata else None
        rows = metadata["files"] if metadata else {}
        return super().get_context_data(
            **kwargs,
            generated_at=generated_at,
            licence=licence(),
            datasets=[
                {
                    "stem": stem,
                    "title": title,
                    "columns": columns,
                    "rows": rows.get(stem, {}).get("rows"),
                    "csv": f"{stem}.csv",
                    "json": f"{stem}.json",
                }
                for stem, (title, columns) in DATASETS.items()
            ],
            metadata_file=METADATA_FILE,
        )


def open_data_file(request: HttpRequest, name: str) -> HttpResponse:
    if name not in FILE_NAMES:
        raise Http404
    path = open_data_dir() / name
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return HttpResponseNotFound(
            _("The open-data files have not been generated yet. A scheduled task builds them; please try again later."),
            content_type="text/plain; charset=utf-8",
        )
    extension = name.rsplit(".", 1)[1]
    response = FileResponse(handle, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'{"attachment" if extension == "csv" else "inline"}; filename="{name}"'
    # The licence and the generation time travel with the file (a CSV has no place for them).
    terms = licence()
    response["Link"] = f'<{terms["url"]}>; rel="license"'
    response["X-Licence"] = terms["name"]
    response["Last-Modified"] = http_date(path.stat().st_mtime)
    metadata = open_data_metadata()
    if metadata:
        response["X-Generated-At"] = metadata["generatedAt"]
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
