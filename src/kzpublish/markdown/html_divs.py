"""Pandoc's ``native_divs``: Markdown between an HTML ``<div>`` line and its ``</div>``.

Pandoc reads ``<div class="warning">`` / ``**Warning:** text`` / ``</div>`` as a div of
Markdown blocks; CommonMark makes the three lines one raw HTML block, and the asterisks
printed as typed. A line that is nothing but an opening ``<div …>`` tag, or nothing but
``</div>``, is here an HTML block of that line alone, so the lines between are read as
Markdown, as they already are when blank lines stand around them. A ``<div>`` with more
on its line stays raw HTML (``markdown_in_html`` warns when it holds Markdown).
"""

from __future__ import annotations

import re
from typing import Any

_DIV_LINE = re.compile(r"<div(?:\s[^<>]*)?>|</div\s*>", re.I)


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule (before ``html_block``): a lone div tag line is an HTML block of its own."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented code
    start = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[start:state.eMarks[start_line]].rstrip()
    if not _DIV_LINE.fullmatch(line):
        return False
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map, token.content = [start_line, start_line + 1], line + "\n"
    state.line = start_line + 1
    return True
