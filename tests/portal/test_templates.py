"""The templates stay readable: no line longer than MAX_LINE characters.

Django's template tags cannot span lines, so a long line is broken where a line break
changes nothing: between table cells, list items and other elements, or inside a
``{% blocktranslate trimmed %}`` (which joins its lines again).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
MAX_LINE = 200


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file())


def test_there_are_templates_to_check():
    assert len(template_files()) > 50


def test_no_template_line_is_longer_than_the_limit():
    long_lines = [
        f"{path.relative_to(ROOT)}:{number}: {len(line)} characters"
        for path in template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert not long_lines, f"template lines over {MAX_LINE} characters:\n" + "\n".join(long_lines)
