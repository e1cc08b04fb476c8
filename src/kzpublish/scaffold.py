"""``kzpublish new DIR``: a project that builds at once, with real sample content.

The sample's stylesheets are copies of the built-in defaults, so authors see
and edit exactly the CSS the build uses.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .assets import BUILTIN_STYLES, STYLESHEETS
from .errors import KzError, SourcePos

SAMPLE = Path(__file__).parent / "data" / "new"


def _title_from(directory: Path) -> str:
    words = re.split(r"[-_\s]+", directory.resolve().name)
    return " ".join(word.capitalize() for word in words if word) or "My Book"


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
    styles = directory / "styles"
    styles.mkdir(exist_ok=True)
    for name in STYLESHEETS:
        shutil.copyfile(BUILTIN_STYLES / name, styles / name)
    return directory
