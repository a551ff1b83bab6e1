"""Open-data exports: the public projects, organisations, participations and meetings as CSV and JSON.

build.py writes the files (a scheduled task, never a request); views.py serves them and the
/open-data/ page that describes them.
"""
