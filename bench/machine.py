"""What the figures were measured on: CPU, cores, memory and software versions.

Only descriptions go into the results, never paths or host names of this machine.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def _cpuinfo_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def describe_machine() -> dict[str, str]:
    return {
        "CPU": _cpuinfo_model(),
        "cores usable": str(usable_cores()),
        "RAM": _memory_gib(),
        "OS": f"{platform.system()} {platform.release()}",
    }


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_software(postgres: str, redis: str) -> dict[str, str]:
    return {
        "Python": platform.python_version(),
        "Django": _version("Django"),
        "PostgreSQL": postgres,
        "Redis": redis,
        "gunicorn": _version("gunicorn"),
        "psycopg": _version("psycopg"),
    }
