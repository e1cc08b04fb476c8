"""The print edition: the book as HTML documents typeset by WeasyPrint.

The only module that imports weasyprint. Pandoc's view: PDF is "HTML + an
engine", so this writer adds only what print needs — one document with a
title page, page-size from book.toml, the vendored fonts, PDF/UA tagging, and
math as SVG pictures (``mathsvg``: WeasyPrint has no MathML). A long book is laid out
as several documents at once, one a core, and their PDFs joined (``pdf_parts``); here
``lay_out`` numbers such a part's pages from where it starts in the book.

Incremental PDF (issue 16: an edit to one chapter of a 250-page book rebuilt in under
30 % of a cold build, byte-identical to it). A long book is typeset in parts
(``pdf_parts``: the front matter, and the chapters grouped into at most 12 documents),
and each part's finished PDF is kept in the build cache (``pdf_cache``) with its page
count and anchors, keyed by its HTML and CSS and checked against its start page and the
files it read. An edited chapter's part is laid out and painted again; every other part
is reused as it is, the front matter too unless its numbers changed, and the parts are
joined again (``pdf_merge``). A cold build makes the same parts, so the two are the
same bytes. An edit that moves the page the next part opens on (its part's page count
changed past the blank page a part may end with) moves every later part's page numbers:
those parts are laid out again, as cold — correct, only slower.

* First tried, not shipped: a WeasyPrint layout per chapter kept in the watch/serve
  process, joined with ``Document.copy`` and written as one PDF. ``write_pdf`` paints
  every page again and is a third of a cold build, so the edited rebuild was 28 – 46 %
  of a cold one (CPU, 8 rounds); and the pages do not pickle, so only a long-lived
  process could have kept them. Keeping each part's written PDF removes both: nothing
  of an unchanged part is laid out or painted, and bytes keep across processes.
* Measured: ``tools/bench.py``'s ``long_project(chapters=20, paragraphs=39)``, 263 A5
  pages in 10 parts of 2 chapters, the edit a clause of chapter 3; whole ``kzpublish
  build -f pdf`` processes (CPU = user + system, children included) on 2 cores shared
  with five other builds (load 5 – 14: wall-clock is mostly the neighbours — compare CPU):

  ====================================================  =========  ==========  ========
  ``kzpublish build -f pdf``                            CPU s      wall s      peak MB
  ====================================================  =========  ==========  ========
  cold, in two halves (before), 3 rounds side by side   39 – 43    85 – 118    334
  cold, in 10 parts, the same rounds                    38 – 42    61 – 111    263
  a chapter edited, the cache filled (3 runs, one the   6.4 – 7.0  6.8 – 40    237 – 243
  ``make bench`` row)
  ====================================================  =========  ==========  ========

  ``make bench``'s row, the edited build and a cold one of the same sources one after
  the other, the same bytes: at load 2 – 3, 6.5 s CPU against 27.7 (0.24×) and 6.2 s
  wall against 16.3 (0.38×); at load ~10, 6.4 against 30.4 (0.21×) and 40 against 172.
  So the bar is cleared on CPU, and on wall-clock by the PDF writer (``pdf_parts
  .typeset``, in process at load 2: 3.6 s edited against 14.4 – 15.3 cold, 0.24×), not
  by a whole process's wall-clock: a cold build runs on both cores, an edit's work is
  mostly on one, and starting Python with WeasyPrint, reading and citing again (the
  book changed) take what they take. The edited rebuild's 7.0 s CPU (at load ~10): the
  PDF 3.1 (laying out the edited part, 26 pages, 1.7; writing it 0.7; joining the 11
  PDFs 0.7), reading, citing again and re-setting the chapter 1.8, starting Python with
  WeasyPrint 2. Finer parts would take about a second off an edit (see below).
  The parts cost no CPU (within the noise) and less memory (this process writes a part
  and lets it go before the front matter), but each
  has its own font subsets: the PDF is 11 % larger (1.46 MB against 1.31; 20 parts of
  one chapter made it 25 % larger, 1.63 MB, for about a second less per edit — hence
  ``MAX_PARTS``). The child paginates its parts while the parent lays out its own (each
  in a thread, its footers waiting for the start): in a cold build of this book the
  parent waited 0.0 s for the child, against 3.5 – 6.3 s with two halves, at the same
  parent CPU (14.5 – 16.2 s against 14.9). 974 pages (43 chapters, 11 parts), cold,
  against two halves one after the other, 3 rounds at load 2 – 10: CPU 126 – 156 s
  against 135 – 160, peak 0.70 – 0.71 GB against 0.84 – 0.86, the PDF 3 % larger (5.39
  MB against 5.22); wall-clock 74 – 728 s against 124 – 658, the neighbours' — the
  60-second bar was not measured again on a quiet machine.
* The cache keeps at most 32 entries of a kind (``cache.KEEP``): a book of 12 parts and
  its front matter fill 14, so one build's parts and an edit's are kept.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import mimetypes
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote, unquote, urljoin, urlsplit

import pydyf
import weasyprint.layout
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.layout import LayoutContext
from weasyprint.logger import LOGGER
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .. import assets, confine, images, mathsvg, pdf_figures, templates
from ..config import Config
from ..errors import Diagnostic, KzError, SourcePos, read_text
from ..model import Book
from . import atomic, notes, outline, shared

# A virtual origin for the book's files: WeasyPrint names embedded images after
# their URL, so real paths would make the PDF depend on the build folder. Below it,
# fonts/ serves the fonts and project/ the project folder; pages resolve against
# project/manuscript/, so ``../graphs/x.svg`` from a chapter is PROJECT/graphs/x.svg.
_ORIGIN = "https://kzpublish.invalid/"
_FONTS = _ORIGIN + "fonts/"
_PROJECT = _ORIGIN + "project/"
_BASE = _PROJECT + "manuscript/"
Result = TypeVar("Result")


class _Refused(FatalURLFetchingError):  # type: ignore[misc]
    """A URL the build must not load: stops the rendering (WeasyPrint would only warn)."""


class _BookFetcher(URLFetcher):  # type: ignore[misc]
    """Serves the project's files and the fonts from the virtual origin; fetches nothing
    else (``confine``): no network, no file outside the project, whatever the encoding.

    A refusal is raised (stopping the rendering) and also kept in ``refused``: WeasyPrint
    swallows every exception while drawing an SVG, whose images are fetched then. The
    stylesheets and pictures it serves are kept in ``served``, so that a refusal no scan
    before the PDF saw (a stylesheet a chapter links) is reported where it is written.
    """

    def __init__(self, config: Config):
        super().__init__()
        self.config = config
        self.refused: list[tuple[str, str]] = []
        """(URL, why) of each refusal, in order."""
        self.served: dict[str, Path] = {}
        """URL → file of each stylesheet and SVG picture served: where URLs are written."""
        self.read: set[Path] = set()
        """Every file asked for, served or missing: what the document's bytes depend on
        besides its HTML and CSS (``pdf_cache`` keeps a part by them)."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._local(url)
        if path is not None:
            self.read.add(self._depended_on(path))
        if path is None or not path.is_file():
            raise ValueError(f"not fetched: {url} (no such file in the project)")
        if url.startswith(_BASE) and (pdf_figures.is_converted(url)
                                      or path.suffix.lower() == ".svg"):
            # a picture as the other editions show it: a figure's drawing, an SVG relinked
            name = unquote(urlsplit(url).path)[len(urlsplit(_BASE).path):]
            self.read.update(images.sources(self.config.project, [name]))  # and its drawn
            if not pdf_figures.is_converted(url):
                self.served[url] = path
            return URLFetcherResponse(url, body=images.read(self.config.project, name),
                                      headers={"Content-Type": "image/svg+xml"})
        if path.suffix.lower() in (".css", ".svg"):
            self.served[url] = path
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    def _depended_on(self, path: Path) -> Path:
        """The file the document's bytes depend on for ``path``: for a built-in font, the
        project's file of its name (missing now: adding one changes the font), the built-in
        one being in every cache key already (``cache.environment``)."""
        if path.is_relative_to(assets.BUILTIN_STYLES):
            return self.config.project / "styles" / path.relative_to(assets.BUILTIN_STYLES)
        return path

    def _local(self, url: str) -> Path | None:
        """The file ``url`` names, inside the project or the package's fonts; else refused."""
        project = self.config.project
        parts = urlsplit(url)
        path = unquote(parts.path)
        if url.startswith(_FONTS):
            found = assets.style_path(project, "fonts/" + path.rsplit("/", 1)[1])
            return found if found.is_relative_to(assets.BUILTIN_STYLES) else self._inside(
                url, found)
        if url.startswith(_BASE):
            return self._inside(url, images.source(project, path[len(urlsplit(_BASE).path):]))
        if url.startswith(_PROJECT):
            return self._inside(url, project / path[len(urlsplit(_PROJECT).path):])
        if parts.scheme == "file":
            return self._inside(url, Path(path))
        if url.startswith(_ORIGIN):
            return self._refuse(url, confine.outside("resource", _written(url), project))
        return self._refuse(url, f"'{url}' is a remote resource — {confine.REMOTE_FIX}")

    def _inside(self, url: str, path: Path) -> Path:
        if confine.inside(self.config.project, path) is None:
            return self._refuse(url, confine.outside("resource", _written(url),
                                                     self.config.project))
        return path

    def _refuse(self, url: str, message: str) -> NoReturn:
        self.refused.append((url, message))
        raise _Refused(message)

    def refusal(self, url: str, why: str) -> Diagnostic:
        """Refused ``url`` where it is written: at its FILE:LINE:COL in a stylesheet or
        picture served or a project template, in the scans' words (the URL as written);
        else ``why`` at the project folder. (The chapters, the project's stylesheets and
        the pictures they show were scanned before the PDF, so it is none of theirs.)"""
        project = self.config.project
        for served, path in self._writers():
            text = path.read_text(encoding="utf-8", errors="replace")
            found = (confine.css_urls(text) if path.suffix.lower() == ".css"
                     else confine.html_urls(text))
            for offset, _, written in found:
                if unquote(urljoin(served, written.strip())) == unquote(url):
                    return Diagnostic(confine.position(path, text, offset),
                                      confine.url_problem(written, path.parent, project) or why)
        return Diagnostic(SourcePos(project), why)

    def _writers(self) -> list[tuple[str, Path]]:
        """(URL its references resolve against, file) of each file that may hold a URL
        the scans did not see: what was served, and the project's templates (they write
        the document, whose base is manuscript/)."""
        folder = self.config.project / templates.OVERRIDES
        overrides = [] if self.config.untrusted or not folder.is_dir() else [
            (_BASE, path) for path in sorted(folder.rglob("*"))
            if path.is_file() and confine.inside(self.config.project, path)]
        return [*self.served.items(), *overrides]


def _written(url: str) -> str:
    """A virtual URL as a chapter in manuscript/ would have written it."""
    if url.startswith(_BASE):
        return url[len(_BASE):]
    if url.startswith(_PROJECT):
        return "../" + url[len(_PROJECT):]
    return "/" + url[len(_ORIGIN):] if url.startswith(_ORIGIN) else url


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's ``PDF.page_references``, built once per number of pages.

    WeasyPrint's PDF/UA tagging asks for it once per structure element, and pydyf builds
    the tuple of every page's reference each time: quadratic in the length of the book
    (a tenth of a long book's PDF time went there). Tagging starts once every page is
    there; a page added later (another count) builds it anew. Same bytes either way.
    """
    kids = pdf.pages["Kids"]
    count, references = pdf.__dict__.get("_kz_page_references", (-1, ()))
    if count != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        pdf.__dict__["_kz_page_references"] = (len(kids), references)
    return references


pydyf.PDF.page_references = property(_page_references)

_update_footnote_area = LayoutContext._update_footnote_area


def _footnote_area_overflows(context: LayoutContext) -> bool:
    """WeasyPrint's footnote-area update, without its float-rounding overflows.

    WeasyPrint (70) calls the area overflowing when its last note ends below the area's
    bottom, compared without the tolerance its page checks use: on some page sizes (A4
    with print.css's ``@footnote`` border, padding and margin) the two sums differ by
    1e-13 px, every note is moved to the next page, and each later one follows it there,
    one note a page. An area of unbounded height (no ``max-height``: it grows to fit its
    notes) cannot overflow; one with a ``max-height`` keeps WeasyPrint's answer.
    """
    overflow = _update_footnote_area(context)
    limit = context.current_footnote_area.style["max_height"]
    return bool(overflow) and getattr(limit, "value", None) != math.inf


LayoutContext._update_footnote_area = _footnote_area_overflows


def _creation_date() -> str:
    """SOURCE_DATE_EPOCH as an ISO date-time, so rebuilds are byte-identical; else none."""
    moment = shared.source_date()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


_BACKLINK_TARGET = re.compile(r' id="cite-\d+"')


def _printed(html: str) -> str:
    """A chapter as print has it: notes at the page foot, formulas as pictures, and no
    ids for the reference list's backlinks ("^ 1 2") to lead to — print hides those
    (print.css), and WeasyPrint makes every id an anchor of the PDF, at a cost."""
    return _BACKLINK_TARGET.sub("", mathsvg.to_pictures(notes.to_page_foot(html)))


def render_html(book: Book, config: Config) -> str:
    """The book as the single HTML document WeasyPrint lays out."""
    toc = shared.toc_entries(book, depth=config.toc_depth or 2) if shared.needs_toc(book) else []
    chapters = [replace(chapter, html=outline.bookmarks(_printed(chapter.html), chapter.headings))
                for chapter in book.chapters]
    return templates.render(
        config, "book.html.j2",
        **shared.context(book, chapters=chapters, toc=toc, created=_creation_date(),
                         **shared.lists(book, config)))


def stylesheet(config: Config) -> str:
    """The print stylesheet WeasyPrint is given beside ``render_html``'s document: the
    fonts' faces (at the virtual origin), base.css, print.css and the page size. Public
    so that ``make bench`` can give bare WeasyPrint the same HTML and CSS."""
    faces = assets.font_faces(assets.fonts(config.project, math=False),
                              lambda path: f"{_FONTS}{quote(path.name)}")
    css = assets.stylesheet(config.project, *PRINT_STYLESHEETS)
    return f"{faces}\n{css}\n@page {{ size: {config.pdf.page_size}; }}\n"


_AT = re.compile(r" at (\d+):(\d+)")
PRINT_STYLESHEETS = assets.PRINT_STYLESHEETS


def stylesheet_warnings(config: Config) -> list[Diagnostic]:
    """What WeasyPrint leaves out of the project's print stylesheets (an unknown property,
    an invalid value, an unsupported selector), each a warning at its CSS:LINE:COL.

    WeasyPrint logs these to a logger with no handler: a rule the author wrote was lost
    from the PDF without a word. Each stylesheet is parsed on its own here so the
    positions are the file's (the build parses them concatenated)."""
    found = []
    for name in PRINT_STYLESHEETS:
        path = assets.style_path(config.project, name)
        if not path.is_relative_to(assets.BUILTIN_STYLES):
            found += _ignored_in(path, lambda text: CSS(
                string=text, base_url=_BASE, url_fetcher=_BookFetcher(config)))
    return found


def declaration_problems(styles: list[str]) -> dict[str, list[str]]:
    """What WeasyPrint leaves out of each ``style`` attribute value (an unknown property,
    an invalid value), as it says it when it sets the page: "Ignored `colr: red`, unknown
    property". Each value is read as the one rule of a stylesheet, so the words are the
    stylesheets'; a value with a brace is left alone (it is no list of declarations)."""
    found: dict[str, list[str]] = {}
    for style in styles:
        if "{" not in style and "}" not in style:
            records = _logged(partial(CSS, string=f"x {{{style}}}"))
            if records:
                found[style] = [_AT.sub("", record.getMessage()).rstrip(".")
                                for record in records]
    return found


class _Kept(logging.Handler):
    """Keeps the records logged to it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _ignored_in(path: Path, parse: Callable[[str], object]) -> list[Diagnostic]:
    text = read_text(path)
    return [_ignored(path, record.getMessage()) for record in _logged(lambda: parse(text))]


def _logged(action: Callable[[], object]) -> list[logging.LogRecord]:
    """What WeasyPrint logs while ``action`` runs."""
    kept = _Kept()
    LOGGER.addHandler(kept)
    try:
        action()
    finally:
        LOGGER.removeHandler(kept)
    return kept.records


def _ignored(path: Path, message: str) -> Diagnostic:
    at = _AT.search(message)
    pos = SourcePos(path, int(at[1]), int(at[2])) if at else SourcePos(path)
    what = (_AT.sub("", message) if at else message).rstrip(".")
    return Diagnostic(pos, f"{what} — WeasyPrint leaves it out of the PDF; fix or remove it",
                      "warning")


class LaidOut:
    """A document of the book laid out by WeasyPrint, its pages not yet written."""

    def __init__(self, document: Document, fetcher: _BookFetcher):
        self._document = document
        self._fetcher = fetcher

    @property
    def page_count(self) -> int:
        return len(self._document.pages)

    def anchors(self) -> dict[str, int]:
        """Each anchor (an element's id) and the 0-based page it stands on."""
        found: dict[str, int] = {}
        for index, page in enumerate(self._document.pages):
            for name in page.anchors:
                found.setdefault(name, index)
        return found

    def written(self) -> bytes:
        """The document as PDF/UA-1 bytes."""
        return _fetching(self._fetcher, lambda: self._document.write_pdf(**_OPTIONS))

    def reads(self) -> list[Path]:
        """The files the document asked for so far (all of them once ``written``)."""
        return sorted(self._fetcher.read)


_OPTIONS = {"pdf_variant": "pdf/ua-1", "presentational_hints": True}
"""WeasyPrint's options: PDF/UA tagging; presentational hints for <ol type start>,
<img width>."""
_margin_boxes = weasyprint.layout.make_margin_boxes
_PAGINATED: ContextVar[Callable[[int], int] | None] = ContextVar("paginated", default=None)
"""``lay_out``'s ``paginated`` while it lays out (per thread: ``serve`` builds in one)."""


def _numbered_margin_boxes(context: LayoutContext, page: object, state: Any) -> Any:
    """WeasyPrint's margin boxes, their page counter moved on by the pages before this
    document in the book (the number ``paginated`` answers).

    WeasyPrint lays out every page of a document before it makes the first page's margin
    boxes (``layout_document``), so the first call here is the moment the document's page
    count is known; a page's ``counter(page)`` is its page state's ``page`` counter."""
    offset = getattr(context, "_kz_page_offset", None)
    if offset is None:
        paginated = _PAGINATED.get()
        offset = paginated(len(context.page_maker) - 1) if paginated else 0
        context._kz_page_offset = offset
    if offset:
        state = copy.deepcopy(state)
        state[1]["page"] = [value + offset for value in state[1]["page"]]
    return _margin_boxes(context, page, state)


weasyprint.layout.make_margin_boxes = _numbered_margin_boxes


def lay_out(html: str, config: Config, css: str = "",
            paginated: Callable[[int], int] | None = None) -> LaidOut:
    """Lay ``html`` out with the print stylesheet and ``css`` after it.

    ``paginated``, when given, is called with the document's page count once its pages
    are made, and answers how many pages of the book come before it: its pages' numbers
    (``counter(page)`` in the margins) start after those. A refused resource is an error
    (``KzError``)."""
    font_config = FontConfiguration()
    fetcher = _BookFetcher(config)

    def render() -> Document:
        document = HTML(string=html, base_url=_BASE, url_fetcher=fetcher)
        print_css = CSS(string=stylesheet(config) + css, font_config=font_config,
                        url_fetcher=fetcher, base_url=_BASE)
        return document.render(stylesheets=[print_css], font_config=font_config, **_OPTIONS)

    token = _PAGINATED.set(paginated)
    try:
        return LaidOut(_fetching(fetcher, render), fetcher)
    finally:
        _PAGINATED.reset(token)


def _fetching(fetcher: _BookFetcher, action: Callable[[], Result]) -> Result:
    """``action``'s result; the resources ``fetcher`` refused meanwhile, as one error."""
    result: Result | None = None
    with contextlib.suppress(_Refused):  # reported below, with any the SVG renderer swallowed
        result = action()
    if fetcher.refused:
        raise KzError([fetcher.refusal(url, message)
                       for url, message in dict.fromkeys(fetcher.refused)])
    assert result is not None
    return result


def typeset(book: Book, config: Config) -> bytes:
    """The book as one WeasyPrint document, written as PDF."""
    return lay_out(render_html(book, config), config).written()


def write(book: Book, config: Config, out_dir: Path) -> Path:
    """Typeset the book as one document and write OUT/<slug>.pdf."""
    return atomic.write_bytes(out_dir / f"{book.meta.slug}.pdf", typeset(book, config))
