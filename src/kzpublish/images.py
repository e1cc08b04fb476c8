"""Images and other files a chapter makes an edition load: each must exist inside the
project, and an image should say what it shows.

Checked where the Markdown is read, so a missing file, a path out of the project
(``confine``) or missing alt text is reported at its FILE:LINE:COL. An image may be
anywhere in the project (``../graphs/x.svg`` from manuscript/); editions name it by
``output_name``: its path relative to manuscript/, or ``project/<path in the project>``
for one outside manuscript/, so the HTML and EPUB writers can copy it beside the pages
without leaving their folder. Raw HTML's resources (``<img>``, ``style``, attachments)
are checked against the boundary too: the PDF engine would load them. A PDF figure is
shown as SVG (``pdf_figures``): its name in the editions is the PDF's with ``.svg`` after
it, and ``read`` converts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from . import confine, pdf_figures
from .errors import Diagnostic, ManuscriptError, SourcePos, read_text

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
OUTSIDE_MANUSCRIPT = "project"
"""The folder editions keep images from outside manuscript/ in (their project path below it)."""
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _position(inline: Any, src: str, path: Path, lines: list[str]) -> SourcePos:
    first, last = inline.map or (0, len(lines))
    for number in range(first, min(last, len(lines))):
        column = lines[number].find(src)
        if column >= 0:
            return SourcePos(path, number + 1, column + 1)
    return SourcePos(path, first + 1, 1)


def output_name(project: Path, file: Path) -> str:
    """The name editions give a project file (see the module docstring); reversed by
    ``source``."""
    try:
        relative = PurePosixPath(_normal(file).relative_to(_normal(project)).as_posix())
    except ValueError:  # named through a link to the project: compare real paths
        relative = PurePosixPath(file.resolve().relative_to(project.resolve()).as_posix())
    if relative.parts[:1] == ("manuscript",) and relative.parts[1:2] != (OUTSIDE_MANUSCRIPT,):
        return str(relative.relative_to("manuscript"))
    return f"{OUTSIDE_MANUSCRIPT}/{relative}"


def _normal(path: Path) -> Path:
    """Absolute, with ``..`` collapsed but symlinks kept: a linked image keeps its name."""
    return Path(os.path.normpath(path.absolute()))


def source(project: Path, name: str) -> Path:
    """The project file an edition's image ``name`` comes from."""
    if pdf_figures.is_converted(name):  # the author's PDF; ``read`` converts it
        name = pdf_figures.pdf_name(name)
    head, _, rest = name.partition("/")
    return project / rest if head == OUTSIDE_MANUSCRIPT else project / "manuscript" / name


def read(project: Path, name: str) -> bytes:
    """The bytes an edition shows for image ``name`` (a PDF figure converted to SVG)."""
    file = source(project, name)
    return pdf_figures.svg(file) if pdf_figures.is_converted(name) else file.read_bytes()


def sources(project: Path, names: Iterable[str]) -> list[Path]:
    """``source`` of each name, sorted and without repeats."""
    return sorted({source(project, name) for name in names})


class _Checker:
    """Checks one chapter's images and raw HTML resources; collects names and findings."""

    def __init__(self, path: Path, manuscript: Path):
        self.path = path
        self.manuscript = manuscript
        self.project = manuscript.parent
        self.lines = read_text(path, ManuscriptError).splitlines()
        self.found: list[str] = []
        self.warnings: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []

    def image(self, inline: Any, image: Any) -> None:
        src = str(image.attrGet("src") or "")
        pos = _position(inline, src, self.path, self.lines)
        if not image.content.strip():
            self.warnings.append(Diagnostic(pos, f"image '{src}' has no alt text — say what "
                                            f"it shows: ![a short description]({src})",
                                            "warning"))
        problem = self._problem(src)
        if problem:
            self.errors.append(Diagnostic(pos, problem))
            return
        if src.lower().endswith(".svg"):
            self.errors += svg_problems(self.manuscript / unquote(src), self.project)
        name = output_name(self.project, self.manuscript / unquote(src))
        if Path(name).suffix.lower() == ".pdf":
            name = pdf_figures.converted_name(name)
        if name != unquote(src):
            image.attrSet("src", quote(name))
        self.found.append(name)

    def _problem(self, src: str) -> str | None:
        if _REMOTE.match(src):
            return (f"image '{src}' is not a local file — editions must work offline; "
                    "download it into the project")
        if Path(src).suffix.lower() not in (*MEDIA_TYPES, ".pdf"):
            return (f"image '{src}' is not an image type the editions show — use PNG, JPEG, "
                    "GIF, SVG, WebP or a PDF figure")
        target = confine.inside(self.project, self.manuscript / unquote(src))
        if target is None:
            return confine.outside("image", src, self.project)
        if not target.is_file():
            return f"image '{src}' not found in {self.project} — add the file or fix the path"
        if target.suffix.lower() == ".pdf":
            return _pdf_problem(src, target)
        if problem := _unreadable(target):
            return f"image '{src}' {problem}"
        return None

    def raw_html(self, token: Any, content: str) -> str:
        """``content`` with each local image it loads named by ``output_name`` (and listed
        in ``found``, so the HTML and EPUB editions carry it as they carry Markdown's)."""
        for offset, written, url in reversed(list(confine.html_urls(content))):
            pos = _position(token, written.strip("\"'"), self.path, self.lines)
            problem = confine.url_problem(url, self.manuscript, self.project)
            if problem:
                self.errors.append(Diagnostic(pos, problem))
            elif _local(url):
                content = self._raw_resource(content, offset, written, url, pos)
        return content

    def _raw_resource(self, content: str, offset: int, written: str, url: str,
                      pos: SourcePos) -> str:
        path = unquote(urlsplit(url).path)
        target = self.manuscript / path
        if (_REMOTE.match(url) or not target.is_file()
                or target.suffix.lower() not in MEDIA_TYPES):
            self.warnings.append(Diagnostic(pos, f"'{url}' in raw HTML is not an image file "
                                            "of the project, so the HTML and EPUB editions "
                                            "do not carry it — use a PNG, JPEG, GIF, SVG or "
                                            "WebP image, or link to it instead", "warning"))
            return content
        if problem := _unreadable(target):
            self.errors.append(Diagnostic(pos, f"image '{url}' {problem}"))
            return content
        if target.suffix.lower() == ".svg":
            self.errors += svg_problems(target, self.project)
        name = output_name(self.project, target)
        self.found.append(name)
        if name == path:
            return content
        start = content.find(written, offset)
        if start < 0 or url not in written:
            self.warnings.append(Diagnostic(pos, f"'{url}' in raw HTML is written in a way "
                                            "the editions cannot rename — write it plainly, "
                                            f"or move it into {self.manuscript.name}/",
                                            "warning"))
            return content
        renamed = written.replace(url, quote(name), 1)
        return content[:start] + renamed + content[start + len(written):]


def check(tokens: list[Any], path: Path, manuscript: Path) -> tuple[list[str], list[Diagnostic]]:
    """The images a chapter shows (by ``output_name``), and warnings about them.

    Markdown images outside manuscript/ get their ``output_name`` as ``src``; the project
    is manuscript/'s parent.
    """
    checker = _Checker(path, manuscript)
    for token in tokens:
        if token.type == "html_block":
            token.content = checker.raw_html(token, token.content)
        children = token.children or [] if token.type == "inline" else []
        for child in children:
            if child.type == "image":
                checker.image(token, child)
            elif child.type == "html_inline":
                child.content = checker.raw_html(token, child.content)
    if checker.errors:
        raise ManuscriptError(checker.errors)
    return checker.found, checker.warnings


def svg_problems(path: Path, project: Path) -> list[Diagnostic]:
    """An error at each place an SVG picture loads something remote or outside the project
    (``<image href>``, ``<use>``, ``url()`` in its CSS): every edition would load it —
    WeasyPrint while drawing, a browser or reading system when showing it."""
    text = read_text(path, ManuscriptError)
    return [Diagnostic(confine.position(path, text, offset), problem)
            for offset, _, url in confine.html_urls(text)
            if (problem := confine.url_problem(url, path.parent, project))]


def _local(url: str) -> bool:
    """A URL that loads a file (not ``data:`` nor a fragment of the page)."""
    url = url.strip()
    return bool(url) and not url.startswith("#") and not url.lower().startswith("data:")


def _pdf_problem(src: str, target: Path) -> str | None:
    problem = pdf_figures.problem(target)
    return f"PDF figure '{src}' {problem}" if problem else None


def _unreadable(path: Path) -> str | None:
    from .cover import unreadable  # Pillow's adapter, loaded only for a book with images
    return unreadable(path)
