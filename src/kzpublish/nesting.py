"""Markdown nested too deep: kept as plain text with a warning, never dropped.

markdown-it stops at ``maxNesting`` levels and silently drops the rest of the
document (a list nested ten deep in the commonmark preset lost the chapter's
end). Here the parser's limit is set well above ``DEPTH``, and a block rule
that runs first takes any block starting deeper than ``DEPTH`` — with every
line after it to the end of its container — as one paragraph of its text:
the words stay, the structure past the limit is flattened, and the reader
warns at the line. Inline markup nested past the parser's limit is kept as
text by markdown-it itself. (markdown-it is imported by ``reader`` alone: the parser
and its state are ``Any`` here, as in ``cite_syntax``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Diagnostic, SourcePos

DEPTH = 64
"""Block levels kept as structure: a list level is two (list, item), a quote one."""
MAX_NESTING = DEPTH * 2
"""markdown-it's own limit, out of reach of blocks; inline markup may nest this deep.
(Python's recursion limit bounds it: a level costs several frames.)"""
_FOUND = "too_deep"


def use(md: Any) -> None:
    """Install the rule first among the block rules, and raise markdown-it's limit."""
    md.options["maxNesting"] = MAX_NESTING
    first = md.block.ruler.get_all_rules()[0]
    md.block.ruler.before(first, "too_deep", _flattened)


def _flattened(state: Any, start: int, end: int, silent: bool) -> bool:
    """A block deeper than ``DEPTH``: the lines from here to the container's end as one
    paragraph of inline text."""
    if state.level < DEPTH:
        return False
    if silent:
        return True
    end = _container_end(state, start, end)
    text = state.getLines(start, end, state.blkIndent, False).strip()
    state.env.setdefault(_FOUND, []).append(start + 1)
    opening = state.push("paragraph_open", "p", 1)
    opening.map = [start, end]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text, [start, end], []
    state.push("paragraph_close", "p", -1)
    state.line = end
    return True


def _container_end(state: Any, start: int, end: int) -> int:
    """The first line after ``start`` indented less than the container (a list item's
    text ends there; the lines after belong to the blocks around it)."""
    line = start + 1
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        line += 1
    return line


def warnings(env: dict[str, Any], path: Path) -> list[Diagnostic]:
    """A warning at each place ``_flattened`` took, from the parser's ``env``."""
    return [Diagnostic(SourcePos(path, line, 1),
                       f"Markdown nested more than {DEPTH} levels deep — kept from here on as "
                       "plain text in one paragraph; nest lists and quotes less deeply",
                       severity="warning")
            for line in env.get(_FOUND, [])]
