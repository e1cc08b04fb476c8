"""Pandoc's sections: which headings open one.

Pandoc cuts a document into sections at its headings (``makeSections``), and looks for
them only at the top level and inside divs (fenced ``:::`` ones; a ``<div>`` written
around Markdown leaves its headings at the top level). A heading inside a block quote, a
list item, a definition or a note opens none: ``--number-sections`` gives it no number,
and ``--toc`` (the HTML contents, the EPUB nav) leaves it out. kzpublish's contents, PDF
outline and numbers follow suit (``Heading.sectioned``).

Free of markdown-it imports (reader.py is its adapter): these functions see only tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_AROUND_SECTIONS = frozenset({"container_div_open"})
"""The blocks a heading may stand in and still open a section: fenced divs."""


def opening(tokens: Sequence[Any]) -> list[bool]:
    """For each heading of ``tokens`` (``heading_open``), in order, whether it opens a
    section: whether every block it stands in is a div."""
    found: list[bool] = []
    around: list[str] = []  # the type of the block open at each nesting level
    in_notes = False  # the footnote plugin's notes: their tokens are levelled as if bare
    for token in tokens:
        in_notes = token.type == "footnote_block_open" or (
            in_notes and token.type != "footnote_block_close")
        if token.type == "heading_open":
            found.append(not in_notes and all(kind in _AROUND_SECTIONS
                                              for kind in around[:token.level]))
        if token.nesting == 1:
            around[token.level:] = [token.type]
    return found


__all__ = ["opening"]
