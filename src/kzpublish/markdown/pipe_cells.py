"""A pipe table's ``|`` inside a code span is code, not a cell border, as pandoc reads it.

``| `a|b` | 2 |`` is two cells in pandoc, the first the code ``a|b``; markdown-it splits
at every unescaped pipe (GFM), so the row read three cells, two of them broken code, and
the last — "2" — fell off the table's width. Before markdown-it's table rule reads a
table, each pipe inside a code span of its lines is swapped for a stand-in of the same
length (offsets stay right); once the cells are read, ``restore`` puts the pipes back.
"""

from __future__ import annotations

import re
from typing import Any

STAND_IN = "\ue000"
"""A private-use character: stands for a code span's pipe while cells are split."""
_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-*:?\s*)*\|?\s*")
_BACKTICKS = re.compile(r"`+")


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule before markdown-it's ``table``: guard the code spans' pipes of the table
    that starts here (a header row, then a delimiter row). Reads nothing itself."""
    if start_line + 1 >= end_line or state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if not _DELIMITER_ROW.fullmatch(_line(state, start_line + 1)):
        return False
    line = start_line
    while line < end_line and not state.isEmpty(line):
        start, end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        text = state.src[start:end]
        if "`" in text and text != (guarded := _guarded(text)):  # rare: copy the source
            state.src = state.src[:start] + guarded + state.src[end:]
        line += 1
    return False


def _line(state: Any, line: int) -> str:
    return str(state.src[state.bMarks[line]:state.eMarks[line]])


def _guarded(text: str) -> str:
    """TEXT with the pipes inside its code spans (a run of backticks to the next run of as
    many) swapped for the stand-in."""
    pieces, pos = [], 0
    for opening in _BACKTICKS.finditer(text):
        if opening.start() < pos:
            continue  # inside a span already closed
        closing = re.compile(rf"(?<!`){opening[0]}(?!`)").search(text, opening.end())
        if closing is None:
            continue
        pieces += [text[pos:opening.end()],
                   text[opening.end():closing.start()].replace("|", STAND_IN), closing[0]]
        pos = closing.end()
    return "".join(pieces) + text[pos:]


def restore(state: Any) -> None:
    """Core rule (after inline): the stand-ins are pipes again, in every token."""
    for token in state.tokens:
        for each in [token, *(token.children or [])]:
            if STAND_IN in each.content:
                each.content = each.content.replace(STAND_IN, "|")
