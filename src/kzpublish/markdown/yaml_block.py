"""A YAML metadata block, as Pandoc delimits it: at the top of a chapter, or anywhere
after a blank line.

Pandoc's rule, stricter than mdit-py-plugins' front_matter (which takes any run of 3+
dashes, and so a multiline table's first rule): the block opens with a line of exactly
``---`` not followed by a blank line, closes with ``---`` or ``...``, and is metadata only
if it holds a YAML mapping; any other YAML (a lone string…) is Markdown after all. Bad
YAML is kept as a block: ``metadata.read`` reports it at FILE:LINE.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import yaml_text
from ..errors import KzError


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: on the chapter's first line, or after a blank line (in a list item too)."""
    if not _may_open(state, start_line, end_line):
        return False
    close = next((n for n in range(start_line + 1, end_line)
                  if _line(state, n) in ("---", "...")), None)
    if close is None:
        return False
    content = state.src[state.bMarks[start_line + 1]:state.eMarks[close - 1]]
    try:
        data = yaml_text.load(content, Path("-"), KzError)
    except KzError:
        data = None  # bad YAML: metadata.read says where
    else:
        if not isinstance(data, dict):
            return False
    if not silent:
        token = state.push("front_matter", "", 0)
        token.content, token.map = content, [start_line, close + 1]
        token.meta = {"data": data}
        state.line = close + 1
    return True


def _may_open(state: Any, start_line: int, end_line: int) -> bool:
    """A line of exactly ``---`` (in its block), not followed by a blank line; after the
    chapter's first line only after a blank line (Pandoc's rule)."""
    if state.sCount[start_line] != state.blkIndent or _line(state, start_line) != "---" \
            or end_line - start_line < 3 or state.isEmpty(start_line + 1):
        return False
    return start_line == 0 or state.isEmpty(start_line - 1)


def _line(state: Any, line: int) -> str:
    return str(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]).rstrip()


def render(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return ""
