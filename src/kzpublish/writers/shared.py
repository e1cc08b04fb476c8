"""What every edition's templates share: labels, the table of contents, page context."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import crossref, intl
from ..config import Config
from ..errors import KzError, SourcePos
from ..model import Book, Chapter, Heading


@dataclass(frozen=True)
class TocEntry:
    """One line of a table of contents."""

    level: int
    text: str
    href: str


def toc_entries(book: Book, href_for: Any = None, depth: int = 2) -> list[TocEntry]:
    """Chapters and their headings down to ``depth``, as ``listed`` has them;
    ``href_for(chapter, id)`` builds links."""
    def href(chapter: Chapter, ident: str) -> str:
        return href_for(chapter, ident) if href_for else f"#{ident}"

    entries = []
    for chapter in book.chapters:
        headings = listed(chapter.headings)
        if not chapter.has_own_title:
            entries.append(TocEntry(1, chapter.title, href(chapter, chapter.id)))
        entries += [TocEntry(h.level, h.text, href(chapter, h.id))
                    for h in headings if h.level <= depth]
    return entries


def listed(headings: Sequence[Heading]) -> list[Heading]:
    """The headings a table of contents lists, as Pandoc's ``--toc``: those that open a
    section (``Heading.sectioned``), less each of class ``unlisted`` and its subsections
    (the headings below it up to the next of its level or above). The EPUB nav and the
    PDF outline too (Pandoc 2's EPUB nav still listed ``unlisted`` ones; Pandoc 3's does
    not, jgm/pandoc#10028).

    Unlike Pandoc, not a heading without text either (the reader warns): an EPUB nav entry
    must have some (epubcheck: "Anchors within nav elements must contain text")."""
    shown: list[Heading] = []
    hiding_below = 0  # the level of the unlisted heading whose subsections are being left out
    for heading in headings:
        if not heading.sectioned or (hiding_below and heading.level > hiding_below):
            continue
        hiding_below = heading.level if "unlisted" in heading.classes else 0
        if not hiding_below and heading.text:
            shown.append(heading)
    return shown


def lists(book: Book, config: Config, href_for: Any = None) -> dict[str, list[TocEntry]]:
    """book.toml's ``lof`` and ``lot``: the labelled figures and tables with their captions,
    as template variables (empty lists when not asked for)."""
    def entries(kind: str) -> list[TocEntry]:
        return [TocEntry(1, text, href_for(chapter, ident) if href_for else f"#{ident}")
                for chapter in book.chapters for ident, text in crossref.captions(chapter, kind)]

    return {"lof": entries("fig") if config.lof else [],
            "lot": entries("tbl") if config.lot else []}


def needs_toc(book: Book) -> bool:
    """A contents list earns its place with more than one chapter or heading."""
    headings = sum(len(listed(chapter.headings)) for chapter in book.chapters)
    return len(book.chapters) > 1 or headings > 1


def context(book: Book, **extra: Any) -> dict[str, Any]:
    """Template variables common to all editions."""
    return {"meta": book.meta, "labels": intl.labels(book.meta.language), "lof": [], "lot": [],
            **extra}


def has_math(book: Book) -> bool:
    """Whether any chapter holds MathML (and so needs the math font, EPUB's mathml property)."""
    return any("<math" in chapter.html for chapter in book.chapters)


def source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC date-time (reproducible builds); None when unset."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except ValueError:
        raise KzError.at(SourcePos(Path("SOURCE_DATE_EPOCH")),
                         f"{epoch!r} is not a number of seconds since 1970 — fix or unset "
                         "SOURCE_DATE_EPOCH") from None
