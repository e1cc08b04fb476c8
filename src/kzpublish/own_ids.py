"""The ids kzpublish writes itself, which no id of the author's may take.

The editions hold ids the author never wrote: each chapter's (``ch01``, its section and,
in the HTML and EPUB editions, its file), its notes' (``fn-ch01-1``, ``fnref-ch01-1``,
``fn-ch01-c3`` for a citation's note), each citation's (``cite-3``, where its entry's
backlink leads), each reference list entry's (``ref-KEY``; ``ref-ch01-KEY`` with
references-per-chapter), the heading of a chapter's own list (``refs-ch01``), and the
pages' (``content``, ``toc-title``, ``lof-title``, ``lot-title``). Pandoc gives them no
thought: ``# fn1`` and the first note both get ``fn1``, ``# ref-smith`` and Smith's entry
``ref-smith``. But an id may stand once in an HTML or EPUB document (and in the PDF, the
whole book is one), and a link goes to the first: a citation would lead to the heading.
So kzpublish's ids come first, as other elements' written ids do (``heading_ids``): a
heading's auto id steps around them, and an id the author wrote that is one of them is a
warning and becomes ``id-1``. Links the author writes to them (``[the entry](#ref-smith)``,
Pandoc's habit) keep leading where they did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PAGE_IDS = {"content": "the HTML pages' main text", "toc-title": "the contents' heading",
             "lof-title": "the list of figures' heading",
             "lot-title": "the list of tables' heading"}
_SHAPES = (
    (re.compile(r"ch\d{2,}"), "a chapter (its section and file)"),
    (re.compile(r"fn-ch\d{2,}-c?\d+|fnref-ch\d{2,}-c?\d+(?:-\d+)?"), "a note"),
    (re.compile(r"cite-\d+"), "a citation"),
    (re.compile(r"refs-ch\d{2,}"), "a chapter's reference list"),
)
_SCOPED_ENTRY = re.compile(r"ref-ch\d{2,}-(.*)")


def chapter_id(index: int) -> str:
    """The id of the INDEX-th chapter (from 1), for file names and anchors: ``ch01``."""
    return f"ch{index:02d}"


def anchor(key: str, scope: str = "") -> str:
    """The id of a reference's entry; every citation of it links here. ``scope`` is the
    chapter's (``ch01-``) when every chapter has its own list."""
    return "ref-" + scope + re.sub(r"[^\w:.-]", "_", key)


def cite_anchor(number: int) -> str:
    """The id of a citation in the text; its entry links back here."""
    return f"cite-{number}"


class Own:
    """Tells an id kzpublish writes from any other, for a book citing ``keys`` (``*``:
    any reference of the bibliography may be listed)."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        keys = frozenset(keys)
        self.entries = frozenset(anchor(key) for key in keys)
        """The ids of the reference list's entries (those of the cited and nocite keys)."""
        self.every_entry = "*" in keys
        """book.toml's ``nocite = "*"``: any reference may have an entry, so every
        ``ref-…`` id is taken."""

    def whose(self, ident: str) -> str:
        """What of kzpublish's has the id IDENT ("a citation"), or "" when nothing does."""
        if ident in _PAGE_IDS:
            return _PAGE_IDS[ident]
        if ident in self.entries or (self.every_entry and ident.startswith("ref-")):
            return "a reference list entry"
        scoped = _SCOPED_ENTRY.fullmatch(ident)
        if scoped and "ref-" + scoped[1] in self.entries:
            return "a reference list entry"
        return next((owner for shape, owner in _SHAPES if shape.fullmatch(ident)), "")


__all__ = ["Own", "anchor", "chapter_id", "cite_anchor"]
