"""Deep nesting: past markdown-it's nesting limit the rest of a chapter would vanish.

markdown-it stops reading (``state.line = endLine``) once blocks nest deeper than its
``maxNesting``, to bound its recursion. The reader raises that limit to ``MAX_NESTING``,
so lists nested as deep as real books nest them read as Pandoc reads them; this rule, tried
first, catches anything deeper just before the limit: the too-deep lines are kept as a
plain paragraph, with a warning at their line.
"""

from __future__ import annotations

from typing import Any

from . import findings

MAX_NESTING = 100
"""markdown-it's ``maxNesting`` for blocks and inlines (a list level takes two: list, item)."""
_GUARD = MAX_NESTING - 4  # room for the paragraph this rule opens


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: at the depth limit, the remaining lines become one plain paragraph."""
    if state.level < _GUARD:
        return False
    if silent:
        return True
    findings.warn(state.env, start_line, "lists or quotes nested too deep to read (some "
                  f"{_GUARD // 2} lists in lists) — the rest of this block is kept as plain "
                  "text; nest less deeply")
    lines = [state.src[state.bMarks[n] + state.tShift[n]:state.eMarks[n]]
             for n in range(start_line, end_line)]
    state.push("paragraph_open", "p", 1).map = [start_line, end_line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = "\n".join(lines).strip(), [start_line,
                                                                            end_line], []
    state.push("paragraph_close", "p", -1)
    state.line = end_line
    return True
