"""Writes for progress reports, in two steps: requesting a version, and rendering it.

- ``requesting``: :func:`~reports.services.requesting.report_request` creates the next
  version and queues its rendering (by task name, through the outbox).
- ``rendering``: the task (reports/tasks.py) calls
  :func:`~reports.services.rendering.report_render`, which builds the PDF and stores it,
  or marks the version failed; stale runs are recovered there too.

The tasks import these modules, never the other way round.
"""
