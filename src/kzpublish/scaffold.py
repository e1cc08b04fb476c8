"""``kzpublish new DIR``: a project that builds at once, with real sample content.

The sample's stylesheets are copies of the built-in defaults, so authors see
and edit exactly the CSS the build uses. The sample chapter is written in the book's
language where kzpublish has one (``data/starters``: the languages ``intl`` has words
for), else in English; its reference list's heading is ``intl``'s word, the one the
editions' contents print.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import intl
from .assets import BUILTIN_STYLES, STYLESHEETS
from .errors import KzError, SourcePos

SAMPLE = Path(__file__).parent / "data" / "new"
STARTERS = Path(__file__).parent / "data" / "starters"
"""The sample chapter by language (``en.md``, ``ru.md``…): ``01-introduction.md``."""


def _title_from(directory: Path) -> str:
    words = re.split(r"[-_\s]+", directory.resolve().name)
    return " ".join(word.capitalize() for word in words if word) or "My Book"


def _starter(language: str) -> str:
    """The sample chapter's text in LANGUAGE, English when there is none in it."""
    code = intl.primary(language)
    starter = STARTERS / f"{code}.md"
    if not (code.isascii() and code.isalpha() and starter.is_file()):
        starter = STARTERS / "en.md"
    text = starter.read_text(encoding="utf-8")
    return text.replace("{references}", intl.labels(language)["references"])


def create(directory: Path, title: str | None = None, language: str = "en") -> Path:
    """Create a new book project in ``directory`` (which must not exist or be empty)."""
    if directory.exists() and any(directory.iterdir()):
        raise KzError.at(SourcePos(directory),
                         "folder exists and is not empty — choose a new folder name")
    shutil.copytree(SAMPLE, directory, dirs_exist_ok=True)
    book_toml = directory / "manuscript" / "book.toml"
    text = book_toml.read_text(encoding="utf-8")
    safe_title = (title or _title_from(directory)).replace("\\", "\\\\").replace('"', '\\"')
    book_toml.write_text(text.replace("{title}", safe_title).replace("{language}", language),
                         encoding="utf-8")
    (directory / "manuscript" / "01-introduction.md").write_text(_starter(language),
                                                                 encoding="utf-8")
    styles = directory / "styles"
    styles.mkdir(exist_ok=True)
    for name in STYLESHEETS:
        shutil.copyfile(BUILTIN_STYLES / name, styles / name)
    return directory
