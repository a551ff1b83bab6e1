"""A project's timeline (Gantt chart) drawn on the server as inline SVG.

Server-side on purpose: the page works without JavaScript, loads nothing from elsewhere
and the chart is in the HTML the tests read. Every text goes through format_html, so
titles typed by coordinators cannot inject markup. The chart has a text alternative on
the page (the work package and deliverable tables); the SVG itself carries a title and
a description for screen readers.

Lives in ``projects`` (not in the portal's catalogue) because the project page and the
progress report PDF (reports) both draw it, and reports may not import the portal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from projects.models import Deliverable, Project, WorkPackage

LABEL_WIDTH = 150
CHART_WIDTH = 600
RIGHT_MARGIN = 50
ROW_HEIGHT = 28
TOP = 34
BOTTOM = 12
AXIS_STEP_MONTHS = 6
BAR_COLOUR = "#4d7fb8"
DONE_COLOUR = "#1e6b34"
OPEN_COLOUR = "#003d7a"
LATE_COLOUR = "#b00020"
TODAY_COLOUR = "#8a5a00"


@dataclass(frozen=True)
class _Scale:
    start: dt.date
    days: int

    def x(self, day: dt.date) -> float:
        # Clamped, so a deliverable due after the project's end still shows at its edge.
        offset = min(max((day - self.start).days, 0), self.days)
        return round(LABEL_WIDTH + CHART_WIDTH * offset / self.days, 1)


def _month_start(start: dt.date, month: int) -> dt.date:
    """First day of project month ``month`` (M1 is the month the project starts in)."""
    years, month0 = divmod(start.month - 1 + month - 1, 12)
    return dt.date(start.year + years, month0 + 1, 1)


def _axis(project: Project, scale: _Scale, height: int) -> SafeString:
    ticks = []
    for month in range(1, project.duration_months + 1, AXIS_STEP_MONTHS):
        x = scale.x(max(_month_start(project.start_date, month), project.start_date))
        ticks.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d5dae3"/>'
                '<text x="{}" y="{}" font-size="11" fill="#4a5568">M{}</text>',
                x,
                TOP - 6,
                x,
                height - BOTTOM,
                x + 2,
                TOP - 12,
                month,
            )
        )
    return mark_safe("".join(ticks))


def _diamond(x: float, y: float, colour: str, tooltip: str) -> SafeString:
    r = 6
    points = f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
    return format_html(
        '<polygon points="{}" fill="{}" stroke="#fff"><title>{}</title></polygon>', points, colour, tooltip
    )


def timeline_svg(
    project: Project,
    work_packages: Iterable[WorkPackage],
    deliverables: Iterable[Deliverable],
    today: dt.date,
    id_prefix: str = "timeline",
    today_label: str | None = None,
) -> SafeString:
    """The Gantt chart: a row per work package, diamonds at deliverables' due dates, a today line.

    Deliverables without a work package get a row of their own at the bottom. Late ones are
    red *and* labelled "late" in text, so the chart does not rely on colour alone.
    """
    work_packages = list(work_packages)
    deliverables = list(deliverables)
    scale = _Scale(project.start_date, max((project.end_date - project.start_date).days, 1))
    rows: list[tuple[str, WorkPackage | None]] = [(f"WP{wp.number}", wp) for wp in work_packages]
    unassigned = [d for d in deliverables if d.work_package_id is None]
    if unassigned:
        rows.append((gettext("Other"), None))
    row_of = {wp.pk: index for index, wp in enumerate(work_packages)}
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + BOTTOM
    width = LABEL_WIDTH + CHART_WIDTH + RIGHT_MARGIN

    parts: list[SafeString] = [_axis(project, scale, height)]
    for index, (label, wp) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        parts.append(format_html('<text x="4" y="{}" font-size="12" fill="#1d2433">{}</text>', y + 18, label))
        if wp is not None and wp.start_date and wp.end_date:
            x1, x2 = scale.x(wp.start_date), scale.x(wp.end_date)
            parts.append(
                format_html(
                    '<rect class="timeline-bar" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}">'
                    "<title>{}</title></rect>",
                    x1,
                    y + 7,
                    max(x2 - x1, 2),
                    ROW_HEIGHT - 14,
                    BAR_COLOUR,
                    gettext("WP%(number)s %(title)s: %(start)s – %(end)s")
                    % {
                        "number": wp.number,
                        "title": wp.display_title,
                        "start": formats.date_format(wp.start_date),
                        "end": formats.date_format(wp.end_date),
                    },
                )
            )
    late_label = gettext("late")
    for deliverable in deliverables:
        index = row_of.get(deliverable.work_package_id, len(rows) - 1)
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        x = scale.x(deliverable.due_date)
        late = deliverable.is_late_on(today)
        done = deliverable.is_delivered
        tooltip = gettext("%(code)s %(title)s, due %(due)s (%(month)s), %(status)s") % {
            "code": deliverable.code,
            "title": deliverable.display_title,
            "due": formats.date_format(deliverable.due_date),
            "month": project.month_label(deliverable.due_date),
            "status": deliverable.get_status_display(),
        }
        if late:
            tooltip = f"{tooltip} – {late_label}"
        colour = LATE_COLOUR if late else DONE_COLOUR if done else OPEN_COLOUR
        # Near the right edge the label goes to the left of the diamond, so it is not cut off.
        flip = x > LABEL_WIDTH + CHART_WIDTH - 60
        label = (
            format_html(
                '<text class="timeline-late" x="{}" y="{}" text-anchor="{}" font-size="10" font-weight="700" '
                'fill="{}">{} {}</text>',
                x - 8 if flip else x + 8,
                y - 4,
                "end" if flip else "start",
                LATE_COLOUR,
                deliverable.code,
                late_label,
            )
            if late
            else ""
        )
        parts.append(
            format_html(
                '<g class="timeline-deliverable{}">{}{}</g>',
                " is-late" if late else "",
                _diamond(x, y, colour, tooltip),
                label,
            )
        )

    if project.start_date <= today <= project.end_date:
        x = scale.x(today)
        parts.append(
            format_html(
                '<line class="timeline-today" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="4 3"/><text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                x,
                TOP - 4,
                x,
                height - BOTTOM + 4,
                TODAY_COLOUR,
                x + 3,
                height - 1,
                TODAY_COLOUR,
                today_label or gettext("today"),
            )
        )

    late_count = sum(1 for d in deliverables if d.is_late_on(today))
    description = gettext(
        "%(wps)s work packages and %(deliverables)s deliverables over %(months)s months, "
        "from %(start)s to %(end)s; %(late)s late."
    ) % {
        "wps": len(work_packages),
        "deliverables": len(deliverables),
        "months": project.duration_months,
        "start": formats.date_format(project.start_date),
        "end": formats.date_format(project.end_date),
        "late": late_count,
    }
    return format_html(
        '<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        p=id_prefix,
        title=gettext("Timeline of %(acronym)s") % {"acronym": project.acronym},
        desc=description,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )
