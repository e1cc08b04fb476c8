"""Pandoc's setext headings: one line of text over its ``===`` or ``---`` line.

CommonMark makes a heading of a whole paragraph standing over the underline
(``Two\\nlines\\n===`` is the h1 "Two lines", and ``Text\\nTitle\\n---`` the h2 "Text
Title"); Pandoc makes one of a single line only, and reads longer text as a paragraph
whose last line is the underline (``<p>Two lines ===</p>``). So markdown-it's rule is
asked only when the line after the first is an underline.
"""

from __future__ import annotations

import re
from typing import Any

from .blank_before import BlockRule

_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")


def single_line(rule: BlockRule) -> BlockRule:
    """RULE (markdown-it's ``lheading``), declining a heading of more than one line."""
    def wrapped(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        under = start_line + 1
        if under >= end_line or state.sCount[under] - state.blkIndent >= 4:
            return False
        start = state.bMarks[under] + state.tShift[under]
        if not _UNDERLINE.fullmatch(state.src[start:state.eMarks[under]]):
            return False
        return rule(state, start_line, end_line, silent)
    return wrapped


__all__ = ["single_line"]
