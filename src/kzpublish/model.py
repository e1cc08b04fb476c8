"""The document model every stage passes on: frozen dataclasses, no behaviour.

Each pipeline stage maps a ``Book`` to a new ``Book``; writers only read it.
Chapter bodies are HTML fragments; before ``citations.resolve`` they hold
``<kz-cite n="N"></kz-cite>`` markers that point into ``Chapter.citations``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Diagnostic, SourcePos


@dataclass(frozen=True)
class CiteItem:
    """One reference inside a citation, e.g. ``see @key, p. 3``."""

    key: str
    """The reference id, without the ``@``."""
    pos: SourcePos
    """Where ``@key`` stands in the chapter file."""
    prefix: str = ""
    """Text before the key inside the brackets ("see")."""
    suffix: str = ""
    """Text after the key and locator inside the brackets."""
    locator: str = ""
    """The locator value ("12", "31–50"); empty when none."""
    label: str = "page"
    """The CSL locator label ("page", "chapter"…); meaningful only with a locator."""
    suppress_author: bool = False
    """``[-@key]``: print the citation without the author."""


@dataclass(frozen=True)
class Citation:
    """A citation as written: one bracketed group or one narrative ``@key``."""

    number: int
    """Its number across the book, from 1, in the order the reader finds citations: a
    chapter's text, then its notes. (A reader meets a note's citations at the note's call:
    ``citation_notes`` orders them so for positions and numbering.)"""
    items: tuple[CiteItem, ...]
    narrative: bool = False
    """True for author-in-text ``@key`` (renders «Лемон (2018)»): the first item's; others
    (``@a [p. 3; see @b]``) are cited as in brackets, after it."""


@dataclass(frozen=True)
class Heading:
    """A heading of a chapter, for tables of contents and outlines."""

    level: int
    text: str
    id: str
    classes: tuple[str, ...] = ()
    """Its classes as written (``{.unlisted}``; ``{-}`` is ``unnumbered``)."""
    sectioned: bool = True
    """Whether it opens a section, as Pandoc makes them (``markdown.sections``): one in a
    block quote, a list or a note does not — no number, no entry in the contents."""
    cited: str = ""
    """Its text with the place of each citation in it marked (``reader.heading_cite``),
    which the citations stage fills with the citation's text; empty when it holds none."""


@dataclass(frozen=True)
class Chapter:
    """One Markdown file of the manuscript, rendered to an HTML fragment."""

    id: str
    """Stable id used for file names and anchors ("ch01")."""
    source: SourcePos
    title: str
    """Its first heading, or the book title when it has none."""
    html: str
    headings: tuple[Heading, ...] = ()
    citations: tuple[Citation, ...] = ()
    has_own_title: bool = False
    """True when the chapter begins with its own level-1 heading."""
    images: tuple[str, ...] = ()
    """Local image files it shows, as ``images.output_name`` names them: relative to
    manuscript/, or ``project/…`` for one elsewhere in the project (and the files its SVG
    pictures take an element from: carried, so the reference holds)."""
    warnings: tuple[Diagnostic, ...] = ()
    """What the author should look at (an image without alt text…); not fatal."""


@dataclass(frozen=True)
class Metadata:
    """What the book says about itself (from book.toml)."""

    title: str
    authors: tuple[str, ...]
    language: str
    subtitle: str = ""
    date: str = ""
    identifier: str = ""
    version: str = ""
    slug: str = "book"
    subject: str = ""
    """What the book is about, one line (PDF Subject, EPUB dc:description)."""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Book:
    """The whole book as it moves through the pipeline."""

    meta: Metadata
    chapters: tuple[Chapter, ...]
    reference_ids: tuple[str, ...] = field(default=())
    """Ids of the references in the order the list prints them."""
