"""Heading ids unique across the book, and a warning for an id written twice.

Pandoc reads a book's files as one document, and a heading's id is the document's: an
auto id (``{#…}`` not written) an earlier heading has already is made ``x-1``, ``x-2``…
without a word. An id the author wrote that an earlier heading already has (its written
or its auto id, in any file), Pandoc gives both headings and warns: "Duplicate identifier
'x'". An id may stand once in an HTML or EPUB document, so here the later heading gets
``x-1``, as an auto id would, and the warning says so. A link to ``#x`` goes to the first
heading either way: in Pandoc's HTML the browser takes the first element with the id, its
EPUB links to the chapter that holds the first, and kzpublish's editions to the first.

Pandoc does not look at the ids of other elements: ``::: {#intro}`` and ``# Intro`` both
get ``intro``, and epubcheck rejects the EPUB ("Duplicate ID"). Here every id written on
another element of the book (a div, span, figure, code block, raw HTML) is taken before
any heading's: an auto id steps around it, a written one is the same warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import code_blocks
from ..errors import Diagnostic, SourcePos
from . import attributes


class Ids:
    """Hands out heading ids unique across the whole book (the PDF is one document)."""

    def __init__(self) -> None:
        self.first: dict[str, SourcePos] = {}
        """Each id taken (by a heading, or reserved for another element), and where the
        element that has it is written."""

    def reserve(self, tokens: Sequence[Any], path: Path) -> None:
        """Take the ids written on the elements of a file's ``tokens`` other than headings."""
        for ident, line in _element_ids(tokens):
            self.first.setdefault(ident, SourcePos(path, line + 1, 1))

    def claim(self, wanted: str, where: SourcePos,
              written: bool = False) -> tuple[str, Diagnostic | None]:
        """The id for a heading at ``where`` that asks for ``wanted``: it, or ``wanted-N``
        when taken; and, when the author ``written`` it and it was taken, the warning."""
        candidate, n = wanted, 1
        while candidate in self.first:
            candidate, n = f"{wanted}-{n}", n + 1
        self.first[candidate] = where
        if not written or candidate == wanted:
            return candidate, None
        return candidate, _duplicate(wanted, candidate, where, self.first[wanted])


def _duplicate(wanted: str, given: str, where: SourcePos, first: SourcePos) -> Diagnostic:
    """Pandoc's "Duplicate identifier" warning, with what became of the heading."""
    place = (f"line {first.line}" if first.file == where.file
             else f"{first.file.name}:{first.line}")
    return Diagnostic(where, f"duplicate identifier '{wanted}' (also at {place}) — this "
                      f"heading gets the id '{given}', links to #{wanted} go to the other; "
                      "give one of them another id", "warning")


_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?\sid\s*=\s*["']?([^"'\s>]+)""")


def _element_ids(tokens: Sequence[Any], line: int = 0) -> list[tuple[str, int]]:
    """The ids written on the elements of ``tokens`` (and their children) other than
    headings, each with its 0-based source line."""
    found: list[tuple[str, int]] = []
    for token in tokens:
        where = token.map[0] if token.map else line
        if token.type != "heading_open" and token.attrGet("id"):
            found.append((str(token.attrGet("id")), where))
        if token.type == "container_div_open" and token.info.strip().startswith("{"):
            parsed = attributes.parse_whole(token.info)
            found += [(parsed.ident, where)] if parsed and parsed.ident else []
        elif token.type == "fence":
            ident = code_blocks.attributes(token.info)[0]
            found += [(ident, where)] if ident else []
        elif token.type in ("html_block", "html_inline"):
            found += [(ident, where) for ident in _HTML_ID.findall(token.content)]
        found += _element_ids(token.children or [], where)
    return found


def position(path: Path, lines: list[str], lines_map: Sequence[int] | None,
             written: str) -> SourcePos:
    """Where the heading on source lines ``lines_map`` (0-based, end excluded) is written:
    at its ``#id`` when it has one written (its attribute block ends its text), else at
    its first line."""
    first, end = lines_map or (0, 1)
    for number in reversed(range(first, min(end, len(lines)))):
        column = lines[number].rfind("#" + written) if written else -1
        if column >= 0:
            return SourcePos(path, number + 1, column + 1)
    return SourcePos(path, first + 1, 1)


__all__ = ["Ids", "position"]
