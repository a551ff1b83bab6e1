"""Demo data: the five seed projects with their real facts, loaded by ``manage.py load_demo``.

``data`` holds the facts as plain data structures (a package: organisations, one module
per project, people); ``loader`` writes them with an idempotent upsert (a second run
changes no row). Use :func:`load_demo` from code.
"""

from .loader import LoadResult, load_demo

__all__ = ["LoadResult", "load_demo"]
