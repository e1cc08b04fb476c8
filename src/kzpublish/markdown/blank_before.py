"""Pandoc's blank line before a block: a paragraph runs on over lines that CommonMark
would read as the start of a list, a block quote, a heading or a rule (``***``).

``Version\\n8. This line`` is one paragraph in Pandoc; only inside a list may a (sub)list
start right under a line of text. This wraps markdown-it's own rules: they are asked,
silently, whether they end the paragraph, and the wrapper answers no where Pandoc does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BlockRule = Callable[[Any, int, int, bool], bool]


def needs_blank_line(rule: BlockRule, in_lists_too: bool = False) -> BlockRule:
    """RULE, which may no longer interrupt a paragraph (except inside lists if IN_LISTS_TOO)."""
    def wrapped(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        if silent and state.parentType == "paragraph" and not (
                in_lists_too and state.listIndent >= 0):
            return False
        return rule(state, start_line, end_line, silent)
    return wrapped
