"""Style attributes an author wrote in a chapter: found in its HTML, placed in its file.

WeasyPrint reads a ``style="…"`` attribute as it sets the page and logs what it leaves out
(an unknown property, an invalid value) to a logger nobody reads: the author's
declaration was lost from the PDF without a word. ``writers.pdf.declaration_problems``
says what WeasyPrint leaves out of a value; this module gathers the values and puts each
problem at the line where the author wrote the attribute. A value the chapter file does
not hold as written was made by kzpublish (a table's column widths, an attribute block's
``width=``) and is left alone.
"""

from __future__ import annotations

import re
from html import unescape

from . import confine
from .errors import Diagnostic, read_text
from .model import Book

_STYLE = re.compile(r'\sstyle="([^"]*)"')
_DECLARATION = re.compile(r"`([^`]*)`")


def values(book: Book) -> list[str]:
    """Every distinct ``style`` attribute value of the chapters, in order."""
    return sorted({unescape(value) for chapter in book.chapters
                   for value in _STYLE.findall(chapter.html)})


def warnings(book: Book, problems: dict[str, list[str]]) -> list[Diagnostic]:
    """A warning for each of ``problems`` (value → what WeasyPrint says of it), at the
    first place each chapter's file holds the value; the file is read only then."""
    found = []
    for chapter in book.chapters:
        flawed = [value for value in dict.fromkeys(map(unescape, _STYLE.findall(chapter.html)))
                  if value in problems]
        source = read_text(chapter.source.file).removeprefix("\ufeff") if flawed else ""
        for value in flawed:
            offset = source.find(value)
            if offset >= 0:
                found += [Diagnostic(confine.position(chapter.source.file, source,
                                                      _at(source, offset, value, message)),
                                     f"style attribute: {message} — WeasyPrint leaves it "
                                     "out of the PDF; fix or remove it", "warning")
                          for message in problems[value]]
    return found


def _at(source: str, offset: int, value: str, message: str) -> int:
    """Where the declaration the message quotes ("Ignored `colr: red`") stands in the
    value, else where the value does."""
    quoted = _DECLARATION.search(message)
    at = source.find(quoted[1], offset, offset + len(value)) if quoted else -1
    return at if at >= 0 else offset
