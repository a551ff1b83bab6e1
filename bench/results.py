"""bench/RESULTS.md holds one section per benchmark; each script replaces only its own.

A section sits between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``. Re-running a
benchmark rewrites its section in place and leaves the other benchmarks' figures alone.
"""

from __future__ import annotations

from pathlib import Path

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
