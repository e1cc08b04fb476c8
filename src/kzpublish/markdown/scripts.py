"""Superscript ``2^10^`` and subscript ``H~2~O``, their content read as Markdown.

mdit-py-plugins' sub and superscript plugins keep the content as plain text, so
``^*hello*^`` would print its asterisks; Pandoc reads inline Markdown there. As in Pandoc,
the content may hold no unescaped space or line break (``a~b c~`` stays text), and ``~~``
is strikeout, markdown-it's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_OPENERS = frozenset("\\`*_[]!<&{}~^$@")  # where a nested inline element may begin


def _rule(marker: str, name: str) -> Callable[[Any, bool], bool]:
    def rule(state: Any, silent: bool) -> bool:
        start = state.pos
        if state.src[start] != marker or state.src.startswith(marker * 2, start) or \
                state.src.startswith("^[", start):  # ^[…] is an inline note
            return False
        end = _closing(state, marker)
        if end is None:
            return False
        if not silent:
            state.push(f"{name}_open", name, 1).markup = marker
            old_max = state.posMax
            state.pos, state.posMax = start + 1, end
            state.md.inline.tokenize(state)
            state.posMax = old_max
            state.push(f"{name}_close", name, -1).markup = marker
        state.pos = end + 1
        return True
    return rule


def _closing(state: Any, marker: str) -> int | None:
    """The index of the marker closing the one at ``state.pos``, when the content is valid."""
    start, maximum = state.pos, state.posMax
    state.pos = start + 1
    while state.pos < maximum and state.src[state.pos] != marker:
        char = state.src[state.pos]
        if char.isspace():
            break  # Pandoc: no space outside a nested element (escape it: "\ ")
        if char in _OPENERS:
            state.md.inline.skipToken(state)  # a code span, link… as one piece
        else:
            state.pos += 1
    end, state.pos = state.pos, start
    if end >= maximum or end == start + 1 or state.src[end] != marker:
        return None
    return int(end)


superscript = _rule("^", "sup")
subscript = _rule("~", "sub")
