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
its CSS) is followed, through the SVGs it loads in turn (``svg_loads``), and checked where
the SVG names it. A browser or reading system shows a picture in ``<img>`` without
loading anything it names, so the picture the editions show (``read``) has each whole
image it loads embedded as a ``data:`` URL (``drawn``). What it names by a fragment (the
element a ``<use>`` takes from another file, which no edition draws: a warning) is listed
with the chapter's images, so the HTML and EPUB editions carry it and the reference holds
(epubcheck); where its ``output_name`` moves it against the picture (a picture in
manuscript/ naming ``../graphs/x.svg#a``), the reference is rewritten.
"""

from __future__ import annotations

import base64
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
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
    with the images it loads in it: ``drawn``)."""
    file = source(project, name)
    if pdf_figures.is_converted(name):
        return pdf_figures.svg(file)
    return drawn(project, file) if file.suffix.lower() == ".svg" else file.read_bytes()


def sources(project: Path, names: Iterable[str]) -> list[Path]:
    """The project files the editions' images ``names`` are made from, sorted and without
    repeats: each one's ``source``, and the images an SVG picture has drawn in it."""
    files = {source(project, name) for name in names}
    pictures = [file for file in files if file.suffix.lower() == ".svg"]
    return sorted(files.union(*(svg_loads(svg, project).drawn for svg in pictures)))


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
            looked = os.path.normpath(self.manuscript / unquote(src))
            return f"image '{src}' not found: there is no {looked} — add the file or fix the path"
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
        if target.suffix.lower() == ".css" and not _REMOTE.match(url) and target.is_file():
            # a stylesheet it links: the PDF engine loads what that loads too
            self.errors += confine.check_css(read_text(target, ManuscriptError), target,
                                             target.parent, self.project)
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
    """Files the editions' picture still names (the element a ``<use>`` takes from another
    file), each once: the HTML and EPUB editions carry them beside it."""
    drawn: list[Path] = field(default_factory=list)
    """Whole images drawn in it: ``drawn`` embeds them in the picture the editions show."""
    errors: list[Diagnostic] = field(default_factory=list)
    """Each at its place in the SVG that names it: remote, outside the project, missing."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """What no edition can show: a file that is no image, another file's element, a loop."""


def svg_loads(picture: Path, project: Path) -> SvgLoads:
    """The files SVG ``picture`` loads, and what is wrong with what it loads. An SVG it
    loads is followed into (each once); one that loads a picture it is drawn in is a loop."""
    loads = SvgLoads()
    _follow(picture, project, loads, (_normal(picture),), {_normal(picture)})
    return loads


def _follow(svg: Path, project: Path, loads: SvgLoads, chain: tuple[Path, ...],
            seen: set[Path]) -> None:
    """``svg``'s own references into ``loads``, then the SVGs it loads (``chain``: the
    pictures it is drawn in, itself last)."""
    text = read_text(svg, ManuscriptError)
    nested: list[tuple[Path, tuple[Path, ...]]] = []
    for offset, written, url in sorted(confine.html_urls(text), key=lambda found: found[0]):
        if url.strip().startswith("#"):  # the commonest by far: <use href="#glyph">
            continue
        at = partial(confine.position, svg, text, offset)
        target = Path(os.path.normpath(svg.parent / unquote(urlsplit(url).path)))
        whole = _whole(url, text, offset)
        if problem := _load_problem(url, svg, project, target, whole and _normal(target) in chain):
            loads.errors.append(Diagnostic(at(), problem))
            continue
        if not _local(url):
            continue
        if warning := _load_warning(url, svg, target, whole):
            loads.warnings.append(Diagnostic(at(), warning, "warning"))
        if target.suffix.lower() not in MEDIA_TYPES:
            continue
        if (replaced := _replaced(url, svg, project, whole)) and replaced not in written:
            loads.errors.append(Diagnostic(at(), f"'{url}' is written in a way the editions "
                                           "cannot rewrite — write it plainly"))
            continue
        kept = loads.drawn if whole else loads.files
        if target not in kept:
            kept.append(target)
        if target.suffix.lower() == ".svg" and _normal(target) not in seen:
            seen.add(_normal(target))
            nested.append((target, (*chain, _normal(target)) if whole else (_normal(target),)))
    for picture, drawn_in in nested:
        _follow(picture, project, loads, drawn_in, seen)


_DRAWN_WHOLE = ("image", "feimage")
"""Elements that draw the file they name whole, even with a #fragment; ``<use>`` and a
``url()`` in CSS take one element of it (a ``<symbol>``, a gradient, a filter)."""


def _whole(url: str, text: str, offset: int) -> bool:
    """Whether ``url`` (at ``offset`` in an SVG's ``text``) draws a whole image there."""
    return not urlsplit(url).fragment or _element(text, offset) in _DRAWN_WHOLE


def _element(text: str, offset: int) -> str:
    """The name of the tag that holds ``offset`` (lower case)."""
    opening = re.match(r"<([\w:-]+)", text[text.rfind("<", 0, offset):])
    return opening[1].lower() if opening else ""


def _load_problem(url: str, svg: Path, project: Path, target: Path,
                  loop: bool) -> str | None:
    """Why no edition can load ``url`` (an error), else None."""
    if problem := confine.url_problem(url, svg.parent, project):
        return problem
    if not _local(url):
        return None
    if not target.is_file():
        return f"'{url}' not found: there is no {target} — add the file or fix the path"
    if loop:
        return (f"'{url}' is a picture this one is drawn in — no edition can draw a picture "
                "inside itself; remove the loop")
    if target.suffix.lower() in MEDIA_TYPES and target.suffix.lower() != ".svg":
        problem = _unreadable(target)
        return f"image '{url}' {problem}" if problem else None
    return None


def _load_warning(url: str, svg: Path, target: Path, whole: bool) -> str | None:
    """What of local ``url`` some edition leaves out, else None."""
    if target.suffix.lower() not in MEDIA_TYPES:
        return (f"'{url}' is not an image file, so the HTML and EPUB editions do not carry "
                "it — use a PNG, JPEG, GIF, SVG or WebP image")
    if not whole:
        return (f"'{url}' is an element of another file, which no edition draws (WeasyPrint "
                f"and browsers draw a picture's own elements only) — copy it into {svg.name}")
    return None


def _replaced(url: str, svg: Path, project: Path, whole: bool) -> str | None:
    """What of ``url`` as written ``drawn`` replaces (None: nothing): the whole URL of an
    image it embeds, the path of a file the editions name otherwise."""
    if whole:
        return url.strip()
    return _path_part(url) if _edition_path(url, svg, project) else None


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


def drawn(project: Path, svg: Path, chain: tuple[Path, ...] = ()) -> bytes:
    """SVG ``svg`` as the editions show it: each whole image it loads embedded as a
    ``data:`` URL (itself drawn so, when an SVG), each file it takes an element from named
    by its path from the picture's ``output_name`` to the file's (``_edition_path``); the
    bytes unchanged when it loads nothing, as most pictures. Embedded because a browser or
    reading system shows a picture in ``<img>`` without loading anything it names;
    WeasyPrint is given the same picture."""
    data = svg.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # never shown: ``check`` reported it
        return data
    chain = (*chain, _normal(svg))
    changed = text
    # from the end, so offsets before stay true; ties (one style attribute) backwards too
    for offset, written, url in reversed(sorted(confine.html_urls(text), key=lambda u: u[0])):
        whole = _whole(url, text, offset)
        if (not _local(url) or confine.url_problem(url, svg.parent, project)
                or not (replaced := _replaced(url, svg, project, whole))):
            continue
        start = changed.find(written, offset)
        by = _replacement(url, svg, project, chain, whole)
        if start >= 0 and replaced in written and by:
            renamed = written.replace(replaced, by, 1)
            changed = changed[:start] + renamed + changed[start + len(written):]
    return data if changed == text else changed.encode("utf-8")


def _replacement(url: str, svg: Path, project: Path, chain: tuple[Path, ...],
                 whole: bool) -> str | None:
    """What ``drawn`` writes for local ``url``'s ``_replaced`` part; None leaves it (a file
    that is no image, or missing, or a loop: ``check`` reported it)."""
    target = svg.parent / unquote(urlsplit(url).path)
    kind = MEDIA_TYPES.get(target.suffix.lower())
    if not kind or not target.is_file() or (whole and _normal(target) in chain):
        return None
    if not whole:
        return _edition_path(url, svg, project)
    body = drawn(project, target, chain) if kind == "image/svg+xml" else target.read_bytes()
    return f"data:{kind};base64,{base64.b64encode(body).decode('ascii')}"


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
