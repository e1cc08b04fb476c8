"""Stylesheets and fonts: the project's styles/ first, then the built-in defaults.

A project overrides a default file by file: PROJECT/styles/print.css replaces
the built-in print.css and nothing else. Fonts ship with the package
(data/styles/fonts, OFL) so every book embeds the same faces and never falls
back silently to whatever the machine has.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .errors import read_text

BUILTIN_STYLES = Path(__file__).parent / "data" / "styles"
STYLESHEETS = ("base.css", "print.css", "html.css", "epub.css")
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


def style_path(project: Path, name: str) -> Path:
    """The stylesheet or font file the build uses for ``name``."""
    local = project / "styles" / name
    return local if local.is_file() else BUILTIN_STYLES / name


def stylesheet(project: Path, *names: str) -> str:
    """The text of several stylesheets, concatenated in order."""
    return "\n".join(read_text(style_path(project, name)) for name in names)


MATH_FONT = "STIXTwoMath-Regular.ttf"
"""The font MathML is set in on screens; a book without math does not carry it."""


def fonts(project: Path, math: bool = True) -> list[Path]:
    """Every font file the book may use: built-in ones, replaced by same-named project files.

    ``math=False`` leaves out the math font: the book has no formulas, or the edition
    draws them as pictures (the PDF).
    """
    names = {p.name for p in (BUILTIN_STYLES / "fonts").glob("*") if p.suffix in FONT_SUFFIXES}
    local = project / "styles" / "fonts"
    if local.is_dir():
        names |= {p.name for p in local.glob("*") if p.suffix in FONT_SUFFIXES}
    if not math:
        names.discard(MATH_FONT)
    return sorted(style_path(project, f"fonts/{name}") for name in names)


_FACE_STYLES = {
    "Regular": ("400", "normal"), "Italic": ("400", "italic"),
    "Bold": ("700", "normal"), "BoldItalic": ("700", "italic"),
}
_FORMATS = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}


def font_faces(fonts: list[Path], url_for: Callable[[Path], str]) -> str:
    """@font-face rules for font files named ``FamilyName-Style.ext`` (NotoSerif-BoldItalic.ttf).

    Generated rather than written in base.css so that a project's extra or
    replaced font files are declared without editing any stylesheet.
    """
    rules = []
    for font in fonts:
        family, _, style = font.stem.partition("-")
        weight, slant = _FACE_STYLES.get(style, ("400", "normal"))
        name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family)
        rules.append(
            f'@font-face {{ font-family: "{name}"; font-weight: {weight}; '
            f"font-style: {slant}; src: url(\"{url_for(font)}\") "
            f'format("{_FORMATS[font.suffix]}"); }}')
    return "\n".join(rules) + "\n"
