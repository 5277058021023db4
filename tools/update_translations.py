"""Refresh the translation catalogs from the sources, then compile them for the app.

    python tools/update_translations.py

pyside6-lupdate (shipped with PySide6) collects every string passed to tr / translate /
QT_TRANSLATE_NOOP in the modules listed in convviz.gui.i18n.TRANSLATED_SOURCES into
convviz/gui/translations/convviz_<code>.ts: new strings arrive marked "unfinished", strings no
longer in the code are dropped. Translate the new ones (Qt Linguist, or any editor: the file
is XML), then run this again: pyside6-lrelease compiles each .ts into the .qm the app loads.
Both files are committed; tests/gui/test_translations.py fails while a string is untranslated
or a .qm is older than its .ts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convviz.gui import i18n  # noqa: E402 (after the path points at this checkout)


def source_files() -> list[Path]:
    """Every .py file of the translated modules and packages, in a stable order."""
    gui = ROOT / "convviz" / "gui"
    files = []
    for name in i18n.TRANSLATED_SOURCES:
        path = gui / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def catalog_sources(code: str) -> Path:
    return i18n.TRANSLATIONS / f"convviz_{code}.ts"


def update(ts_file: Path) -> None:
    """Extract the sources' strings into ts_file (kept translations stay, stale ones go)."""
    subprocess.run(["pyside6-lupdate", *map(str, source_files()), "-ts", str(ts_file),
                    "-locations", "none", "-no-obsolete", "-silent"], check=True)


def compile_catalog(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(["pyside6-lrelease", "-silent", str(ts_file), "-qm", str(qm_file)],
                   check=True)


def main() -> int:
    for code in i18n.LANGUAGES:
        if code == i18n.SOURCE_LANGUAGE:
            continue
        ts_file = catalog_sources(code)
        update(ts_file)
        compile_catalog(ts_file, i18n.catalog(code))
        print(f"{ts_file.relative_to(ROOT)} -> {i18n.catalog(code).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
