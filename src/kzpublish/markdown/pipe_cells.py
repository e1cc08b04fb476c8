"""A pipe table's cells: a ``|`` inside a code span is code, not a cell border, as pandoc
reads it; a cell beyond the header's columns is a warning.

``| `a|b` | 2 |`` is two cells in pandoc, the first the code ``a|b``; markdown-it splits
at every unescaped pipe (GFM), so the row read three cells, two of them broken code, and
the last — "2" — fell off the table's width. Before markdown-it's table rule reads a
table, each pipe inside a code span of its lines is swapped for a stand-in of the same
length (offsets stay right); once the cells are read, ``restore`` puts the pipes back.

A row with more cells than its header loses the extra ones, in pandoc as in markdown-it;
``beyond_header`` says so at the row's line rather than let them go silently.
"""

from __future__ import annotations

import re
from typing import Any

from . import findings

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


_BORDER = re.compile(r"(?<!\\)\|")


def beyond_header(state: Any) -> None:
    """Core rule (after block): warn at each pipe-table row whose cells outnumber the
    header's (the extra cells are left out)."""
    columns, in_header, lines = 0, False, state.src.split("\n")
    for token in state.tokens:
        if token.type == "table_open":  # pandoc's other tables are table_rules' to check
            columns, in_header = 0, not token.meta.get("pandoc")
        elif token.type == "th_open" and in_header:
            columns += 1
        elif token.type == "thead_close":
            in_header = False
        elif token.type == "tr_open" and columns and token.map and not in_header:
            _check_row(state, lines, token.map[0], columns)


def _check_row(state: Any, lines: list[str], line: int, columns: int) -> None:
    extra = _cells(lines[line])[columns:]
    if any(extra):
        findings.warn(state.env, line, f"table row has {columns + len(extra)} cells, its "
                      f"header {columns}: '{' | '.join(extra)}' is left out — add a column "
                      "to the header, or join the cells")


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row as written (enclosing pipes and the marks of the
    blockquotes around it dropped)."""
    text = _guarded(re.sub(r"^[\s>]*", "", row).rstrip())
    cells = [cell.strip().replace(STAND_IN, "|") for cell in _BORDER.split(text)]
    return cells[text.startswith("|"):len(cells) - text.endswith("|")]
