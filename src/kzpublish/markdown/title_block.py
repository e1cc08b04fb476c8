"""Pandoc's title block: ``% Title``, ``% Authors``, ``% Date`` on a chapter's first lines.

Metadata like a YAML block, never text: a ``title_block`` token whose ``meta`` holds the
fields given (a field may run on over lines that start with a space).
"""

from __future__ import annotations

from typing import Any

FIELDS = ("title", "author", "date")


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: only on the chapter's first line, which starts with ``%``."""
    if start_line != 0 or state.level or not state.src.startswith("%"):
        return False
    if silent:
        return True
    values: list[str] = []
    line = start_line
    while line < end_line and not state.isEmpty(line):
        text = state.src[state.bMarks[line]:state.eMarks[line]]
        if text.startswith("%"):
            values.append(text[1:].strip())
        elif text[:1].isspace() and values:
            values[-1] += " " + text.strip()
        else:
            break
        line += 1
    token = state.push("title_block", "", 0)
    token.map, token.meta = [start_line, line], dict(zip(FIELDS, values, strict=False))
    state.line = line
    return True


def render(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return ""
