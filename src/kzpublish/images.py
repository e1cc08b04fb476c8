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

What an SVG picture loads (``<image href>``, ``<use href="icons.svg#a">``, ``url()`` in
its CSS) is followed, through the SVGs it loads in turn (``svg_loads``): each file is
checked where the SVG names it and listed with the chapter's images, so the HTML and EPUB
editions carry it too. Editions keep it under its ``output_name``; where that moves it
against the picture (a picture in manuscript/ loading ``../graphs/x.png``), ``read`` gives
the editions the picture with that reference rewritten.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
    """The bytes an edition shows for image ``name`` (a PDF figure converted to SVG, an SVG
    with what it loads named as the editions name it: ``relinked``)."""
    file = source(project, name)
    if pdf_figures.is_converted(name):
        return pdf_figures.svg(file)
    return relinked(project, file) if file.suffix.lower() == ".svg" else file.read_bytes()


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
        name = output_name(self.project, self.manuscript / unquote(src))
        if Path(name).suffix.lower() == ".pdf":
            name = pdf_figures.converted_name(name)
        if name != unquote(src):
            image.attrSet("src", quote(name))
        self.found.append(name)
        if src.lower().endswith(".svg"):
            self._picture(self.manuscript / unquote(src))

    def _picture(self, svg: Path) -> None:
        """What an SVG picture loads: its findings kept, its files listed with the images."""
        loads = svg_loads(svg, self.project)
        self.errors += loads.errors
        self.warnings += [w for w in loads.warnings if w not in self.warnings]
        self.found += [output_name(self.project, file) for file in loads.files]

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
        name = output_name(self.project, target)
        self.found.append(name)
        if target.suffix.lower() == ".svg":
            self._picture(target)
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


@dataclass
class SvgLoads:
    """What an SVG picture loads, followed through the SVGs it loads in turn."""

    files: list[Path] = field(default_factory=list)
    """Local image files, each once, in the order found (not the picture itself)."""
    errors: list[Diagnostic] = field(default_factory=list)
    """Each at its place in the SVG that names it: remote, outside the project, missing."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Files the editions cannot carry (not an image)."""


def svg_loads(picture: Path, project: Path) -> SvgLoads:
    """The files SVG ``picture`` loads, and what is wrong with what it loads. An SVG that
    loads another is followed into it; each SVG once, so a cycle ends."""
    loads = SvgLoads()
    seen, queue = {_normal(picture)}, [picture]
    while queue:
        svg = queue.pop(0)
        for file in _svg_files(svg, project, loads):
            if _normal(file) not in seen:
                seen.add(_normal(file))
                loads.files.append(file)
                if file.suffix.lower() == ".svg":
                    queue.append(file)
    return loads


def _svg_files(svg: Path, project: Path, loads: SvgLoads) -> Iterator[Path]:
    """The local image files ``svg`` itself loads; its problems go into ``loads``."""
    text = read_text(svg, ManuscriptError)
    for offset, written, url in confine.html_urls(text):
        if url.strip().startswith("#"):  # the commonest by far: <use href="#glyph">
            continue
        problem = confine.url_problem(url, svg.parent, project)
        target = svg.parent / unquote(urlsplit(url).path)
        if not problem and _local(url):
            problem = _loaded_problem(url, target, project)
        if problem:
            loads.errors.append(Diagnostic(confine.position(svg, text, offset), problem))
        elif not _local(url):
            continue
        elif target.suffix.lower() not in MEDIA_TYPES:
            loads.warnings.append(Diagnostic(
                confine.position(svg, text, offset), f"'{url}' is not an image file, so the "
                "HTML and EPUB editions do not carry it — use a PNG, JPEG, GIF, SVG or WebP "
                "image", "warning"))
        elif (moved := _edition_path(url, svg, project)) and _path_part(url) not in written:
            loads.errors.append(Diagnostic(
                confine.position(svg, text, offset), f"'{url}' is written in a way the "
                f"editions cannot rename to '{moved}' — write it plainly"))
        else:
            yield target


def _loaded_problem(url: str, target: Path, project: Path) -> str | None:
    if not target.is_file():
        return f"'{url}' not found in {project} — add the file or fix the path"
    if target.suffix.lower() in MEDIA_TYPES and target.suffix.lower() != ".svg":
        problem = _unreadable(target)
        return f"image '{url}' {problem}" if problem else None
    return None


def _path_part(url: str) -> str:
    """``url`` without its query and fragment: what names the file."""
    return re.split(r"[?#]", url.strip(), maxsplit=1)[0]


def _edition_path(url: str, svg: Path, project: Path) -> str | None:
    """How SVG ``svg`` must name what local ``url`` loads in the editions, where each file
    has its ``output_name``: None when ``url`` already does (a relative path that stays
    on the same side of manuscript/), else the relative path, percent-encoded."""
    here = posixpath.dirname(output_name(project, svg))
    wanted = output_name(project, svg.parent / unquote(urlsplit(url).path))
    path = _path_part(url)
    if not _REMOTE.match(path) and not path.startswith("/") and (
            posixpath.normpath(posixpath.join(here, unquote(path))) == wanted):
        return None
    return quote(posixpath.relpath(wanted, here or "."))


def relinked(project: Path, svg: Path) -> bytes:
    """SVG ``svg`` as the editions show it: each file it loads named by its path from the
    picture's ``output_name`` to the file's (``_edition_path``); the bytes unchanged when
    none moves, as for nearly every picture."""
    data = svg.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # never shown: ``check`` reported it
        return data
    changed = text
    # from the end, so offsets before stay true; ties (one style attribute) backwards too
    for offset, written, url in reversed(sorted(confine.html_urls(text), key=lambda u: u[0])):
        if (not _local(url) or confine.url_problem(url, svg.parent, project)
                or not (moved := _edition_path(url, svg, project))):
            continue
        start = changed.find(written, offset)
        if start >= 0 and _path_part(url) in written:
            renamed = written.replace(_path_part(url), moved, 1)
            changed = changed[:start] + renamed + changed[start + len(written):]
    return data if changed == text else changed.encode("utf-8")


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
