"""Line blocks: lines starting with ``|`` keep their breaks and leading spaces (verse,
addresses), rendered as Pandoc does: ``<div class="line-block">`` with ``<br>`` between.

A line that starts with a space continues the line before it.
"""

from __future__ import annotations

import re
from typing import Any

_LINE = re.compile(r"\|(?: |$)")
_NBSP = "\u00a0"
_MARK = "line_block"


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: consecutive ``| `` lines (and their continuations) form one block."""
    if state.sCount[start_line] - state.blkIndent >= 4 or not _LINE.match(_text(state, start_line)):
        return False
    if silent:
        return True
    lines, line = [], start_line
    while line < end_line and not state.isEmpty(line):
        text = _text(state, line)
        if _LINE.match(text):
            body = text[2:]
            lines.append(_NBSP * (len(body) - len(body.lstrip(" "))) + body.lstrip(" "))
        elif state.sCount[line] > state.blkIndent and lines:
            lines[-1] += " " + text.strip()
        else:
            break
        line += 1
    _push(state, lines, start_line, line)
    state.line = line
    return True


def _text(state: Any, line: int) -> str:
    """The line from its first non-space character."""
    return str(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]])


def _push(state: Any, lines: list[str], first: int, last: int) -> None:
    opening = state.push("line_block_open", "div", 1)
    opening.attrSet("class", "line-block")
    opening.map = [first, last]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = "\n".join(lines), [first, last], []
    inline.meta[_MARK] = True
    state.push("line_block_close", "div", -1)


def breaks(state: Any) -> None:
    """Core rule (after inline): inside a line block, every line break is kept."""
    for token in state.tokens:
        if token.type == "inline" and token.meta.get(_MARK):
            for child in token.children or []:
                if child.type == "softbreak":
                    child.type, child.tag = "hardbreak", "br"
