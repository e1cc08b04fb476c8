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

from . import confine
from .errors import Diagnostic, KzError, SourcePos, read_text

BUILTIN_STYLES = Path(__file__).parent / "data" / "styles"
STYLESHEETS = ("base.css", "print.css", "html.css", "epub.css")
PRINT_STYLESHEETS = ("base.css", "print.css")
"""What the PDF is set with (after the fonts' faces), in this order."""
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


def style_path(project: Path, name: str) -> Path:
    """The stylesheet or font file the build uses for ``name``; a project file that is a
    symlink out of the project is an error at it (``confine``)."""
    local = project / "styles" / name
    if not local.is_file():
        return BUILTIN_STYLES / name
    confine.require(project, local, SourcePos(local), "style file", f"styles/{name}")
    return local


def stylesheet(project: Path, *names: str) -> str:
    """The text of several stylesheets, concatenated in order.

    A project stylesheet's ``url()`` and ``@import`` must name files inside the project
    (relative ones resolve against manuscript/, as the PDF's do): an error at the URL.
    """
    texts, problems = [], []
    for name in names:
        path = style_path(project, name)
        text = read_text(path)
        if not path.is_relative_to(BUILTIN_STYLES):
            problems += _url_problems(project, path, text)
        texts.append(text)
    if problems:
        raise KzError(problems)
    return "\n".join(texts)


def url_problems(project: Path) -> list[Diagnostic]:
    """What ``stylesheet`` would refuse in the project's stylesheets, found up front (with
    book.toml's checks) so a build stops before it has worked for nothing."""
    problems = []
    for name in STYLESHEETS:
        local = project / "styles" / name
        if local.is_file() and confine.inside(project, local) is not None:
            problems += _url_problems(project, local, read_text(local))
    return problems


def _url_problems(project: Path, path: Path, css: str) -> list[Diagnostic]:
    """``confine.check_css`` of a project stylesheet; an unchanged copy of the built-in one
    (what ``kzpublish new`` writes) is ours, and not parsed on every build for nothing."""
    builtin = BUILTIN_STYLES / path.name
    if builtin.is_file() and builtin.read_text(encoding="utf-8") == css:
        return []
    return confine.check_css(css, path, project / "manuscript", project)


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


def family(font: Path) -> str:
    """The CSS family name ``font_faces`` declares a font file under: NotoSerif-Bold.ttf is
    "Noto Serif"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", font.stem.partition("-")[0])


def font_faces(fonts: list[Path], url_for: Callable[[Path], str]) -> str:
    """@font-face rules for font files named ``FamilyName-Style.ext`` (NotoSerif-BoldItalic.ttf).

    Generated rather than written in base.css so that a project's extra or
    replaced font files are declared without editing any stylesheet.
    """
    rules = []
    for font in fonts:
        weight, slant = _FACE_STYLES.get(font.stem.partition("-")[2], ("400", "normal"))
        rules.append(
            f'@font-face {{ font-family: "{family(font)}"; font-weight: {weight}; '
            f"font-style: {slant}; src: url(\"{url_for(font)}\") "
            f'format("{_FORMATS[font.suffix]}"); }}')
    return "\n".join(rules) + "\n"
