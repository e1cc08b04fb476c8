"""The print edition of a long book: typeset in parts at once, one a core, then joined.

WeasyPrint lays a document out on one core, about a tenth of a second an A5 page (two
thirds layout, one third ``write_pdf``): a 1,000-page book took 80 s of CPU as one
document. Its pages do not pickle (their fonts are cffi handles), so the parts cannot
meet as pages: each part is a document of its own, laid out and written as PDF by its own
process, and the PDFs are joined (``pdf_merge``). The parts are

* the front matter (title page, contents, lists of figures and tables) — laid out last,
  its page numbers written as text (``data-page``, ``FRONT_CSS``) once the body's pages
  are known;
* the body, its chapters grouped into at most ``MAX_PARTS`` documents (``_group_size``:
  by the number of chapters alone), cut between two processes at a part by the size of
  their text — the first parts laid out by this process, the others by a forked child
  meanwhile.

Each part's PDF is kept in the build cache (``pdf_cache``) with its page count and
anchors, and reused while its HTML, CSS, start page and the files it read are unchanged:
an edited chapter lays out and paints its own part, and the front matter only if its
numbers changed; the joining is done again (see ``pdf``'s docstring for the figures).

What keeps the joined PDF the one-document build's:

* Page numbers. A chapter opens on a right-hand page, so a part's pagination does not
  depend on where it starts; WeasyPrint makes all of a document's pages before the first
  margin box, so ``pdf.lay_out`` asks then where the part starts and numbers its footers
  from there. The first part starts after the front matter, whose page count a first
  layout with placeholder numbers gives, each later one after the one before; the
  child's first part after this process's last, whose end the parent sends the child
  once its own parts are laid out (the child asks for it in its first margin box, or
  before it reuses a kept part: a part is reused only where it started before). An edit
  that changes a part's page count moves every later part: they are laid out again, as
  cold. If the front matter's real numbers change its page count, the book is typeset as
  one document instead.
* Blank pages: each part opens on a right-hand page (``_right``), as a chapter would.
* Links between parts: WeasyPrint keeps a link only to an anchor of its own document, so
  every ``href="#ID"`` is written ``kzpart:ID`` and ``pdf_merge`` makes it internal again.
* The running head's book title, set by the title page: each part's ``body`` sets it
  (``BODY_CSS``).

Only the built-in print stylesheets and templates are split: a project's own can make a
page depend on earlier chapters (counters, strings, chapters that do not open on a right
page), which a part cannot see. The split is decided by the content alone — the same
parts and the same bytes on any number of cores and from the cache or not (a cold build
makes the parts an incremental one reuses); on one core all parts are laid out here, one
after the other. A child that fails is not trusted: its parts are laid out here again, so
an error is raised as the one-document build raises it. The child dies with this process
and is killed and reaped if this one leaves early (``parallel.talking``).

Measured with the body in two halves, before it was cut into cached parts (``pdf`` has
the parts' figures; CPU seconds, ``time.process_time`` in each process; 2 cores shared
with other work, so wall-clock is not comparable and CPU seconds grow with the load —
compare within a row): ``tools/bench.py``'s ``long_project(chapters=43)``, 974 A5
pages, the ``BENCH_BIG`` row.

=====================  ========================  ====================================
CPU seconds            one document (before)     in parts: this process | the child
=====================  ========================  ====================================
load 2 – 10            76.5: layout 51.1,        46.8: front matter 1.2, first half
                       write_pdf 25.3            (440 pages) 23.3 + 13.7 written,
                                                 front matter again 2.6 + 3.1,
                                                 joining 2.6 | 48.4: second half
                                                 (524 pages) 30.7 + 18.1 written
side by side, load     114.6: layout 78.6,       60.3: 1.6, 32.6 + 16.3, 3.1 + 3.6,
9 – 11                 write_pdf 36.0            2.8 | 61.8: 42.7 + 20.3
=====================  ========================  ====================================

So the PDF's critical path, the longer of the two processes, is 54 % of the one
document's (62 s of 115 side by side; about 42 s of 77 on an idle machine, estimated),
and the pages are the same (pdftotext, links, bookmarks and tags compared). The parts
cost about 7 % more CPU in all (two layouts of the front matter, the joining), and the
joined PDF is 7 % larger (each part has its own font subsets). A whole ``kzpublish build``
adds reading and citing the book, about 6 s in one process, and starting Python:
``kzpublish build -f pdf --no-cache`` of that book, one after the other at load 2 – 3,
took 117 s wall-clock, 115 s CPU and 1.4 GB at peak as one document, 83 s, 121 s and 0.86
GB in parts (each process holds half the pages). With two chapters of ``long_project``,
one document against the longer of the two processes: 9,000 characters of text (6 pages)
0.6 – 1.0 s against 0.8; 23,000 (12 pages) 1.5 – 1.7 against 1.0 – 1.3; 45,000 (20 pages)
2.3 – 2.5 against 1.6 – 1.7; 90,000 (46 pages) 4.8 against 3.4 — hence ``SPLIT_MIN_TEXT``.
The demo book (12,000 characters, one chapter) stays one document.
"""

from __future__ import annotations

import contextlib
import html as markup
import queue
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import assets, cache, parallel, templates
from ..config import Config
from ..model import Book
from . import atomic, pdf, pdf_cache, pdf_merge

SPLIT_MIN_TEXT = 40_000
"""Characters of chapter text (markup left out) from which a book is typeset in parts,
about 20 A5 pages: below it the front matter laid out twice, the fork and the joining
take about what the second core saves (the module's figures)."""
PARENT_SHARE = 0.47
"""The first half's share of the text: this process also lays out the front matter
(twice, about 7 s of 974 pages) and joins the PDFs while the child only lays out its half;
0.47 balances the two (0.45 left the child 5 s longer: 63 – 65 s wall for 974 pages
against 55 – 56 s at 0.47, ``kzpublish build -f pdf --no-cache`` on a quiet machine)."""
MAX_PARTS = 12
"""The most documents the body is typeset as: each is kept in the build cache, so an
edited chapter lays out its part again and not the book. More parts, smaller ones to lay
out again; but each has its own font subsets (a larger PDF) and its own stylesheet to
read — see the module's figures."""
FRONT_CSS = '.toc a::after { content: leader(".") attr(data-page); }'
BODY_CSS = "body { string-set: book-title attr(data-book-title); }"
_PLACEHOLDER = "000"
_CHAPTER = re.compile(r'<section class="chapter"')
_TAG = re.compile(r"<[^>]*>")
_INTERNAL = re.compile(r'href="#')
_FRONT_LINK = re.compile(r'<a href="' + re.escape(pdf_merge.LINK_SCHEME) + r'([^"]*)"')
_TEMPLATES = ("book.html.j2", "title.html.j2", "toc.html.j2", "lists.html.j2")


@dataclass(frozen=True)
class Parts:
    """The book's print HTML cut for typesetting in parts."""

    front: str
    """The front matter, its links to ``kzpart:ID`` (``_numbered`` adds their pages)."""
    body: tuple[str, ...]
    """The body's chapters in documents of ``_group_size`` chapters each."""
    cut: int
    """The first body part the second process lays out."""


def write(book: Book, config: Config, out_dir: Path, store: cache.Store | None = None) -> Path:
    """Typeset the book (in parts when it is long, reusing the parts ``store`` kept) and
    write OUT/<slug>.pdf."""
    return atomic.write_bytes(out_dir / f"{book.meta.slug}.pdf",
                              typeset(book, config, store=store))


def typeset(book: Book, config: Config, min_text: int = SPLIT_MIN_TEXT,
            store: cache.Store | None = None) -> bytes:
    """The book's PDF: in parts from ``min_text`` characters of text on, else one
    document (see the module's docstring); the parts ``store`` kept are reused."""
    html = pdf.render_html(book, config)
    parts = split(book, config, html, min_text)
    joined = None
    if parts is not None:
        kept = pdf_cache.PartCache(store or cache.Store(None), config)
        joined = _typeset_parts(parts, config, kept)
    return joined if joined is not None else pdf.lay_out(html, config).written()


def split(book: Book, config: Config, html: str, min_text: int = SPLIT_MIN_TEXT
          ) -> Parts | None:
    """``html`` (``pdf.render_html``'s) cut into front matter and body parts; None when
    the book is short or set with its own print stylesheets or templates."""
    starts = [found.start() for found in _CHAPTER.finditer(html)]
    if len(starts) < 2 or len(starts) != len(book.chapters) or not _built_in(config):
        return None
    body = html.index("<body>") + len("<body>")
    end = html.rindex("</body>")
    chapters = [html[start:stop] for start, stop in zip(starts, [*starts[1:], end],
                                                          strict=True)]
    sizes = [len(_TAG.sub("", chapter)) for chapter in chapters]
    if sum(sizes) < min_text:
        return None
    size = _group_size(len(chapters))
    groups = [slice(first, first + size) for first in range(0, len(chapters), size)]
    head, tail = _links(html[:body]), html[end:]
    titled = head.replace("<body>", f'<body data-book-title="{markup.escape(book.meta.title)}">')
    return Parts(front=head + _links(html[body:starts[0]]) + tail,
                 body=tuple(titled + _links("".join(chapters[group])) + tail
                            for group in groups),
                 cut=_cut([sum(sizes[group]) for group in groups]))


def _group_size(chapters: int) -> int:
    """Chapters a part: as few as keep the parts at most ``MAX_PARTS``. It depends on the
    number of chapters only, so an edit leaves every other part as it was."""
    return -(-chapters // MAX_PARTS)


def _built_in(config: Config) -> bool:
    """Whether the print stylesheets and the book's templates are kzpublish's own (a
    project's unchanged copy counts)."""
    styles = [(assets.style_path(config.project, name), assets.BUILTIN_STYLES / name)
              for name in assets.PRINT_STYLESHEETS]
    own = [] if config.untrusted else [
        (config.project / templates.OVERRIDES / name, templates.BUILTIN / name)
        for name in _TEMPLATES]
    return all(not used.is_file() or used.read_bytes() == builtin.read_bytes()
               for used, builtin in [*styles, *own])


def _cut(sizes: list[int]) -> int:
    """The index of the first part the child lays out (``sizes``: each part's text):
    this process's parts nearest ``PARENT_SHARE`` of the text, at least one part each."""
    goal, total, best, best_total = PARENT_SHARE * sum(sizes), 0, 1, sizes[0]
    for index, size in enumerate(sizes[:-1], start=1):
        total += size
        if abs(total - goal) < abs(best_total - goal):
            best, best_total = index, total
    return best


def _links(html: str) -> str:
    return _INTERNAL.sub(f'href="{pdf_merge.LINK_SCHEME}', html)


def _numbered(front: str, numbers: dict[str, int] | None) -> str:
    """The front matter, each link given the page number of its target (placeholders
    when ``numbers`` is None; nothing for a target not in the book)."""
    def number(found: re.Match[str]) -> str:
        target = markup.unescape(found[1])
        page = _PLACEHOLDER if numbers is None else str(numbers.get(target, ""))
        return f'{found[0]} data-page="{page}"'
    return _FRONT_LINK.sub(number, front)


def _right(pages: int) -> int:
    """The 0-based index of the first right-hand page after ``pages`` pages."""
    return pages + pages % 2


@dataclass
class _Part:
    """A body part as typeset: from the cache, or laid out here (its PDF not yet written)."""

    key: str
    typeset: pdf_cache.Part
    laid: pdf.LaidOut | None = None

    @classmethod
    def of(cls, key: str, start: int, laid: pdf.LaidOut) -> _Part:
        """A part laid out here, starting at the 0-based page ``start``."""
        return cls(key, pdf_cache.Part(start, laid.page_count, laid.anchors()), laid)

    def numbers(self) -> dict[str, int]:
        """Each anchor and its page number in the book."""
        return {name: self.typeset.start + page + 1
                for name, page in self.typeset.anchors.items()}


def _typeset_parts(parts: Parts, config: Config, kept: pdf_cache.PartCache) -> bytes | None:
    """The joined PDF of ``parts``; None when the front matter's page count changed with
    its page numbers (the caller typesets one document)."""
    mine, theirs = parts.body[:parts.cut], parts.body[parts.cut:]
    child, connection = _started(theirs, config, kept)
    try:
        front_pages = _front_pages(parts.front, config, kept)
        first, end = _laid_parts(mine, config, kept, _right(front_pages))
        if connection is not None:
            with contextlib.suppress(OSError):  # a failed child: its parts are laid here
                connection.send(end)
        pdfs = _written(first, kept)
        second = _received(connection) or _laid_parts(theirs, config, kept, end)[0]
        numbers = {name: page for part in (*first, *second) for name, page
                   in part.numbers().items()}
        front_pdf = _front_pdf(parts.front, numbers, config, kept, front_pages)
        if front_pdf is None:
            return None
        if all(part.laid is not None or part.typeset.pdf is not None for part in second):
            pdfs += _written(second, kept)  # typeset here
        else:  # by the child: a child that fails now is not trusted either
            pdfs += _received_pdfs(connection, len(second)) or _written(
                _laid_parts(theirs, config, kept, end)[0], kept)
        return pdf_merge.merge([front_pdf, *pdfs],
                               [0, *(part.typeset.start for part in (*first, *second))])
    finally:
        if child is not None:
            connection.close()
            parallel.stopped(child)


def _laid_parts(htmls: Sequence[str], config: Config, kept: pdf_cache.PartCache,
                start: int) -> tuple[list[_Part], int]:
    """Each body part from the cache or laid out, in order, the first starting at the
    0-based page ``start``; and the page after the last part.

    A kept part is reused only where it started before: a part's footers number its pages
    from there, so a part after one whose page count changed is laid out again."""
    return _placed(_pending(htmls, config, kept, wait=False), config, start)


def _laid_waiting(htmls: Sequence[str], config: Config, kept: pdf_cache.PartCache,
                  first_start: Callable[[], int]) -> list[_Part]:
    """``_laid_parts`` in the child, whose first page ``first_start()`` answers once the
    parent's parts are laid out: meanwhile each part not kept is paginated (``_Waiting``),
    so the child's layout runs beside the parent's and not after it."""
    pending = _pending(htmls, config, kept, wait=True)
    return _placed(pending, config, first_start())[0]


_Pending = tuple[str, str, pdf_cache.Part | None, "_Waiting | None"]
"""A part's key, HTML, its kept entry (with a PDF) or None, and its pagination under way."""


def _pending(htmls: Sequence[str], config: Config, kept: pdf_cache.PartCache,
             wait: bool) -> list[_Pending]:
    """Each part's kept entry if it has a PDF; else, when ``wait``, its pagination begun."""
    pending: list[_Pending] = []
    for html in htmls:
        key = kept.key(html, BODY_CSS)
        found = kept.get(key)
        usable = found is not None and found.pdf is not None
        pending.append((key, html, found if usable else None,
                        _Waiting(html, config) if wait and not usable else None))
    return pending


def _placed(pending: list[_Pending], config: Config, start: int) -> tuple[list[_Part], int]:
    """The parts placed from the 0-based page ``start``: paginated ones finished there, kept
    ones reused where they started before, the rest laid out; and the page after them."""
    done = []
    for key, html, found, waiting in pending:
        if waiting is not None:
            done.append(_Part.of(key, start, waiting.finished(start)))
        elif found is not None and found.start == start:
            done.append(_Part(key, found))
        else:  # not kept, or kept for another start: an earlier part's page count changed
            done.append(_laid(key, html, config, start))
        start = _right(start + done[-1].typeset.pages)
    return done, start


def _laid(key: str, html: str, config: Config, start: int) -> _Part:
    return _Part.of(key, start, pdf.lay_out(html, config, BODY_CSS, lambda _count: start))


class _Waiting:
    """A part laid out in a thread of its own as far as its footers, which wait for its
    start (``finished``). WeasyPrint makes all of a document's pages before its first
    margin box (``pdf.lay_out``'s ``paginated``), so the page count is known then. One
    thread works at a time: each is started once the one before waits, and let go and
    joined in order."""

    def __init__(self, html: str, config: Config):
        self._count: queue.Queue[int | BaseException] = queue.Queue()
        self._start: queue.Queue[int] = queue.Queue()
        self._result: pdf.LaidOut | BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(html, config), daemon=True)
        self._thread.start()
        self.pages = self._count.get()  # paginated, or failed

    def _run(self, html: str, config: Config) -> None:
        try:
            self._result = pdf.lay_out(html, config, BODY_CSS, self._paginated)
        except BaseException as error:  # raised in the child's thread by ``finished``
            self._result = error
            self._count.put(error)

    def _paginated(self, count: int) -> int:
        self._count.put(count)
        return self._start.get()

    def finished(self, start: int) -> pdf.LaidOut:
        """The part laid out, its pages numbered from ``start``."""
        self._start.put(start)
        self._thread.join()
        if isinstance(self._result, BaseException):
            raise self._result
        assert self._result is not None
        return self._result


def _written(parts: list[_Part], kept: pdf_cache.PartCache) -> list[bytes]:
    """The parts' PDFs: those laid out here written (and kept), the others as kept."""
    for part in parts:
        if part.laid is not None:
            part.typeset.pdf = part.laid.written()
            kept.put(part.key, part.typeset, part.laid.reads())
            part.laid = None  # its pages are no longer needed
    return [part.typeset.pdf for part in parts if part.typeset.pdf is not None]


def _front_pages(front: str, config: Config, kept: pdf_cache.PartCache) -> int:
    """The front matter's page count, its numbers placeholders (kept: it changes only
    with the headings)."""
    html = _numbered(front, None)
    key = kept.key(html, FRONT_CSS)
    found = kept.get(key)
    if found is not None:
        return found.pages
    laid = pdf.lay_out(html, config, FRONT_CSS)
    kept.put(key, pdf_cache.Part(0, laid.page_count, {}), laid.reads())
    return laid.page_count


def _front_pdf(front: str, numbers: dict[str, int], config: Config,
               kept: pdf_cache.PartCache, pages: int) -> bytes | None:
    """The front matter's PDF with its page numbers; None if they make it other than
    ``pages`` pages long."""
    html = _numbered(front, numbers)
    key = kept.key(html, FRONT_CSS)
    found = kept.get(key)
    if found is not None and found.pdf is not None:
        return found.pdf if found.pages == pages else None
    laid = pdf.lay_out(html, config, FRONT_CSS)
    if laid.page_count != pages:
        return None
    typeset = pdf_cache.Part(0, pages, {}, laid.written())
    kept.put(key, typeset, laid.reads())
    return typeset.pdf


def _started(htmls: Sequence[str], config: Config,
             kept: pdf_cache.PartCache) -> tuple[Any, Any]:
    """The child typesetting the parts ``htmls``, and this end of its pipe; (None, None)
    on one core or where forking is unsafe."""
    if parallel.workers() < 2 or not parallel.can_fork():
        return None, None
    return parallel.talking(_second_half, htmls, config, kept)


def _second_half(htmls: Sequence[str], config: Config, kept: pdf_cache.PartCache,
                 connection: Any) -> None:
    """In the child: the parts typeset, their places and anchors sent as soon as known,
    then their PDFs; None on any failure (the parent typesets the parts again)."""
    try:
        parts = _laid_waiting(htmls, config, kept, connection.recv)
        connection.send([(part.key, part.typeset.start, part.typeset.pages,
                          part.typeset.anchors) for part in parts])
        connection.send(_written(parts, kept))
    except BaseException:
        with contextlib.suppress(OSError):  # the parent left already: nothing to tell
            connection.send(None)
    finally:
        connection.close()


def _received(connection: Any) -> list[_Part] | None:
    """The child's parts as laid out (their PDFs to come), or None if it failed or there
    is no child."""
    answer = _answer(connection)
    if not isinstance(answer, list):
        return None
    return [_Part(key, pdf_cache.Part(start, pages, anchors))
            for key, start, pages, anchors in answer]


def _received_pdfs(connection: Any, count: int) -> list[bytes] | None:
    """The child's PDFs, or None if it failed or there is no child."""
    written = _answer(connection)
    return written if isinstance(written, list) and len(written) == count else None


def _answer(connection: Any) -> Any:
    """The child's next message; None without a child or once its pipe broke."""
    if connection is None:
        return None
    try:
        return connection.recv()
    except (EOFError, OSError):
        return None
