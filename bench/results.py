"""bench/RESULTS.md holds one section per benchmark; each script replaces only its own.

A section sits between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``. Re-running a
benchmark rewrites its section in place and leaves the other benchmarks' figures alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench import machine

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Each benchmark under `bench/` rewrites its own section below when it runs "
    "(see bench/README.md). Figures depend on the machine: each section names it.\n"
)


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = path.read_text() if path.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def heading(title: str, command: str, software: dict[str, str]) -> list[str]:
    """A section's first lines: its title, the command it ran, the machine and the software."""
    lines = [
        f"## {title}",
        "",
        f"Run on {dt.date.today().isoformat()} with `{command}`. Re-running the script replaces this section.",
        "",
        "### Machine and software",
        "",
        "| | |",
        "| --- | --- |",
    ]
    return lines + [f"| {key} | {value} |" for key, value in {**machine.describe_machine(), **software}.items()]
