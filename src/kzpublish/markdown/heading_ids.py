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

The ids kzpublish writes itself (``own_ids``: ``ch01``, ``fn-ch01-1``, ``cite-3``,
``ref-KEY``…) are taken before all: an auto id steps around them too, and an id the author
wrote that is one of them, on a heading or any other element, is a warning and becomes
``x-1`` (a raw HTML element's too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import code_blocks, own_ids
from ..errors import Diagnostic, SourcePos
from . import attributes


class Ids:
    """Hands out heading ids unique across the whole book (the PDF is one document)."""

    def __init__(self, own: own_ids.Own) -> None:
        self.first: dict[str, SourcePos] = {}
        """Each id taken (by a heading, or reserved for another element), and where the
        element that has it is written."""
        self.own = own
        """The ids kzpublish writes, which none of the author's may take."""

    def reserve(self, tokens: Sequence[Any], path: Path, lines: list[str]) -> list[Diagnostic]:
        """Take the ids written on the elements of a file's ``tokens`` other than headings;
        one that kzpublish writes is renamed, with a warning."""
        warnings = []
        for element in _elements(tokens):
            where = _written_at(path, lines, element.line, element.ident)
            ident = element.ident
            if owner := self.own.whose(ident):
                ident = self._free(ident)
                element.rename(ident)
                warnings.append(_kzpublish_s(element.ident, owner, ident, where))
            self.first.setdefault(ident, where)
        return warnings

    def claim(self, wanted: str, where: SourcePos,
              written: bool = False) -> tuple[str, Diagnostic | None]:
        """The id for a heading at ``where`` that asks for ``wanted``: it, or ``wanted-N``
        when taken; and, when the author ``written`` it and it was taken, the warning."""
        candidate = self._free(wanted)
        self.first[candidate] = where
        if not written or candidate == wanted:
            return candidate, None
        if owner := self.own.whose(wanted):
            return candidate, _kzpublish_s(wanted, owner, candidate, where)
        return candidate, _duplicate(wanted, candidate, where, self.first[wanted])

    def _free(self, wanted: str) -> str:
        """``wanted`` when neither taken nor kzpublish's, else the first of ``wanted-1``,
        ``wanted-2``… not taken. (Those are not asked about kzpublish's: the repeated calls
        of a note, ``fnref-ch01-1-2``…, are, and the search would never end.)"""
        candidate, n = wanted, 1
        while candidate in self.first or (n == 1 and self.own.whose(candidate)):
            candidate, n = f"{wanted}-{n}", n + 1
        return candidate


def _kzpublish_s(wanted: str, owner: str, given: str, where: SourcePos) -> Diagnostic:
    """The warning for an id the author wrote that kzpublish gives ``owner``."""
    return Diagnostic(where, f"the id '{wanted}' is one kzpublish gives {owner} — this "
                      f"element gets the id '{given}' (links to #{wanted} lead to kzpublish's); "
                      "give it another id", "warning")


def _duplicate(wanted: str, given: str, where: SourcePos, first: SourcePos) -> Diagnostic:
    """Pandoc's "Duplicate identifier" warning, with what became of the heading."""
    place = (f"line {first.line}" if first.file == where.file
             else f"{first.file.name}:{first.line}")
    return Diagnostic(where, f"duplicate identifier '{wanted}' (also at {place}) — this "
                      f"heading gets the id '{given}', links to #{wanted} go to the other; "
                      "give one of them another id", "warning")


_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?\sid\s*=\s*["']?([^"'\s>]+)""")


@dataclass(frozen=True)
class _Element:
    """An element other than a heading with an id written on it."""

    ident: str
    line: int
    """Its 0-based source line."""
    token: Any
    """The token that writes the id: in its attributes, its info (a div's, a fenced code
    block's) or its raw HTML."""

    def rename(self, new: str) -> None:
        """Give the element the id ``new`` instead."""
        token, old = self.token, re.escape(self.ident)
        if token.attrGet("id") == self.ident:
            token.attrSet("id", new)
        elif token.type in ("html_block", "html_inline"):
            token.content = re.sub(r"""(\sid\s*=\s*["']?)""" + old + r"""(?=["'\s>])""",
                                   lambda match: match[1] + new, token.content, count=1)
        else:
            token.info = re.sub("#" + old + r"(?=[\s}])", lambda _: "#" + new, token.info,
                                count=1)


def _elements(tokens: Sequence[Any], line: int = 0) -> list[_Element]:
    """The elements of ``tokens`` (and their children) other than headings with an id
    written on them."""
    found: list[_Element] = []
    for token in tokens:
        where = token.map[0] if token.map else line
        if token.type != "heading_open" and token.attrGet("id"):
            found.append(_Element(str(token.attrGet("id")), where, token))
        if token.type == "container_div_open" and token.info.strip().startswith("{"):
            parsed = attributes.parse_whole(token.info)
            found += [_Element(parsed.ident, where, token)] if parsed and parsed.ident else []
        elif token.type == "fence":
            ident = code_blocks.attributes(token.info)[0]
            found += [_Element(ident, where, token)] if ident else []
        elif token.type in ("html_block", "html_inline"):
            found += [_Element(ident, where, token) for ident in _HTML_ID.findall(token.content)]
        found += _elements(token.children or [], where)
    return found


def _written_at(path: Path, lines: list[str], line: int, ident: str) -> SourcePos:
    """Where the id ``ident`` of an element on the 0-based ``line`` is written."""
    text = lines[line] if line < len(lines) else ""
    column = text.find("#" + ident) if "#" + ident in text else text.find(ident)
    return SourcePos(path, line + 1, column + 1 if column >= 0 else 1)


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
