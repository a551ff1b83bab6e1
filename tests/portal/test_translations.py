"""The German and English catalogues in locale/: complete, consistent and compiled.

CI machines have no gettext tools, so the compiled .mo files are committed next to the
.po files. These tests make sure the two agree, that nothing is left untranslated or
fuzzy, that placeholders survive translation, and (where xgettext exists) that the
catalogues cover every string marked in the code.

After changing marked strings:

    .venv/bin/python manage.py makemessages -l de -l en --ignore=.venv --ignore=var \\
        --ignore=tests --ignore=bench --no-obsolete
    # translate the new entries, remove their "fuzzy" flags, then
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["de", "en"]
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
# The same options the catalogues are made with (see the module docstring).
IGNORED = [".venv", "var", "tests", "bench"]
# Not copied for the coverage check: not scanned anyway, or not source at all.
NOT_COPIED = {".git", ".venv", "var", "tests", "bench", ".pytest_cache", ".ruff_cache", "node_modules"}

# %(name)s, %s, %d, ... (printf style, what gettext and blocktranslate use) and {name} / {0} / {}
# (str.format style). "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[^{}]*\}"
)


def po_path(lang: str, root: Path = ROOT) -> Path:
    return root / "locale" / lang / "LC_MESSAGES" / "django.po"


def mo_path(lang: str, root: Path = ROOT) -> Path:
    return root / "locale" / lang / "LC_MESSAGES" / "django.mo"


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def active_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})" if where else repr(entry.msgid)


def untranslated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.get(i) for i in range(2))
    return not entry.msgstr


def pairs(catalogue: polib._BaseFile) -> set[tuple]:
    """What a compiled catalogue answers: (context, msgid, msgid_plural, translations)."""
    found = set()
    for entry in catalogue:
        if entry.msgid_plural:
            strings = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            strings = (entry.msgstr,)
        found.add((entry.msgctxt, entry.msgid, entry.msgid_plural, strings))
    return found


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture
def po(lang) -> polib.POFile:
    path = po_path(lang)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing; run makemessages (see this module's docstring)"
    return polib.pofile(str(path))


def test_catalogues_exist_with_compiled_files(lang):
    assert po_path(lang).is_file(), po_path(lang)
    assert mo_path(lang).is_file(), f"{mo_path(lang)} is missing; run compilemessages and commit the .mo file"


def test_header(po, lang):
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"
    assert po.metadata.get("Language") == lang
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.encoding.lower() in {"utf-8", "utf8"}


def test_catalogue_is_not_empty(po):
    assert len(active_entries(po)) > 50


def test_no_untranslated_entries(po):
    missing = [label(entry) for entry in active_entries(po) if untranslated(entry)]
    assert not missing, f"{len(missing)} untranslated:\n" + "\n".join(missing)


def test_no_fuzzy_entries(po):
    fuzzy = [label(entry) for entry in active_entries(po) if "fuzzy" in entry.flags]
    assert not fuzzy, "check these translations and remove their fuzzy flag:\n" + "\n".join(fuzzy)


def test_no_obsolete_entries(po):
    obsolete = [repr(entry.msgid) for entry in po if entry.obsolete]
    assert not obsolete, "obsolete entries (run makemessages with --no-obsolete):\n" + "\n".join(obsolete)


def test_plural_entries_have_both_forms(po):
    incomplete = [
        label(entry) for entry in active_entries(po) if entry.msgid_plural and sorted(entry.msgstr_plural) != [0, 1]
    ]
    assert not incomplete, "plural entries need msgstr[0] and msgstr[1]:\n" + "\n".join(incomplete)


def test_placeholders_survive_translation(po):
    wrong = []
    for entry in active_entries(po):
        if entry.msgid_plural:
            checks = [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        else:
            checks = [(entry.msgid, entry.msgstr)]
        for source, translated in checks:
            if placeholders(source) != placeholders(translated):
                wrong.append(f"{label(entry)}: {sorted(placeholders(source))} → {sorted(placeholders(translated))}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_english_catalogue_is_the_identity():
    """The source strings are English; the en catalogue only makes that explicit."""
    po = polib.pofile(str(po_path("en")))
    different = []
    for entry in active_entries(po):
        if entry.msgid_plural:
            same = entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}
        else:
            same = entry.msgstr == entry.msgid
        if not same:
            different.append(label(entry))
    assert not different, "en msgstr should repeat the msgid:\n" + "\n".join(different)


def test_compiled_file_matches_catalogue(po, lang):
    """A .mo compiled before the last .po change is stale: compare what both answer."""
    expected = pairs(polib.mofile(po.to_binary()))
    compiled = pairs(polib.mofile(str(mo_path(lang))))
    missing = expected - compiled
    extra = compiled - expected
    assert not (missing or extra), (
        f"locale/{lang}/LC_MESSAGES/django.mo is stale; run compilemessages.\n"
        f"not in .mo: {sorted(m[1] for m in missing)[:20]}\nonly in .mo: {sorted(e[1] for e in extra)[:20]}"
    )


def test_compiled_file_has_plural_forms(lang):
    compiled = polib.mofile(str(mo_path(lang)))
    assert compiled.metadata.get("Plural-Forms") == PLURAL_FORMS


# The catalogue covers the code --------------------------------------------------------


def _copy_ignore(directory: str, names: list[str]) -> set[str]:
    top_level = Path(directory).resolve() == ROOT
    return {
        name
        for name in names
        if name == "__pycache__" or name.endswith(".egg-info") or (top_level and name in NOT_COPIED)
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> dict[str, polib.POFile]:
    """Run makemessages on a copy of the project, so the real catalogues stay untouched.

    makemessages merges the existing translations into what it extracts, so a string
    the code marks but the catalogue lacks comes back untranslated (or fuzzy).
    """
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("gettext tools (xgettext, msgmerge) are not installed")
    copy = tmp_path_factory.mktemp("i18n") / "project"
    shutil.copytree(ROOT, copy, ignore=_copy_ignore)
    before = {lang: _digest(po_path(lang)) for lang in LANGUAGES}

    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT"}}
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_DATA_DIR": str(copy / "var"),
        "PYTHONPATH": str(copy),
    }
    command = [sys.executable, "manage.py", "makemessages", *[f"-l{lang}" for lang in LANGUAGES]]
    command += [f"--ignore={pattern}" for pattern in IGNORED] + ["--no-obsolete"]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    # The run wrote into the copy, not into the repository.
    assert {lang: _digest(po_path(lang)) for lang in LANGUAGES} == before
    return {lang: polib.pofile(str(po_path(lang, copy))) for lang in LANGUAGES}


def test_catalogues_cover_every_marked_string(regenerated, lang):
    po = regenerated[lang]
    missing = [label(entry) for entry in active_entries(po) if untranslated(entry)]
    fuzzy = [label(entry) for entry in active_entries(po) if "fuzzy" in entry.flags]
    assert not (missing or fuzzy), (
        f"locale/{lang}: strings marked in the code but not translated; run makemessages and translate them.\n"
        + "\n".join([*(f"untranslated: {m}" for m in missing), *(f"fuzzy: {f}" for f in fuzzy)])
    )


def test_catalogues_hold_no_strings_the_code_dropped(regenerated, po, lang):
    current = {(entry.msgctxt, entry.msgid) for entry in active_entries(regenerated[lang])}
    committed = {(entry.msgctxt, entry.msgid) for entry in active_entries(po)}
    dropped = sorted(msgid for _, msgid in committed - current)
    assert not dropped, (
        f"locale/{lang} holds strings no longer in the code; run makemessages with --no-obsolete "
        "and compilemessages:\n" + "\n".join(map(repr, dropped))
    )


# The translations are used ----------------------------------------------------------


def test_german_model_names():
    from projects.models import Deliverable, Project, WorkPackage
    from reports.models import ProgressReport

    with translation.override("de"):
        assert str(Project._meta.verbose_name) == "Projekt"
        assert str(Project._meta.verbose_name_plural) == "Projekte"
        assert str(WorkPackage._meta.verbose_name) == "Arbeitspaket"
        assert str(ProgressReport._meta.verbose_name) == "Fortschrittsbericht"
        assert str(Deliverable.Status.SUBMITTED.label) == "Eingereicht"
    with translation.override("en"):
        assert str(Project._meta.verbose_name) == "project"
        assert str(Project._meta.verbose_name_plural) == "projects"


def test_german_gettext_and_plurals():
    with translation.override("de"):
        assert translation.gettext("No public project is running at the moment.") == (
            "Derzeit läuft kein öffentliches Projekt."
        )
        assert translation.ngettext("%(count)d month", "%(count)d months", 1) % {"count": 1} == "1 Monat"
        assert translation.ngettext("%(count)d month", "%(count)d months", 24) % {"count": 24} == "24 Monate"


def test_templates_render_in_german():
    template = Template(
        "{% load i18n %}{% translate 'Skip to content' %}|"
        "{% blocktranslate count counter=n %}{{ counter }} organisation"
        "{% plural %}{{ counter }} organisations{% endblocktranslate %}"
    )
    with translation.override("de"):
        assert template.render(Context({"n": 1})) == "Zum Inhalt springen|1 Organisation"
        assert template.render(Context({"n": 12})) == "Zum Inhalt springen|12 Organisationen"
    with translation.override("en"):
        assert template.render(Context({"n": 12})) == "Skip to content|12 organisations"
