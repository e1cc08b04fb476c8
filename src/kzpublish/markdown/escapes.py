"""Pandoc's escaped space: ``\\ `` is a non-breaking space (``a^hello\\ there^``, ``5\\ km``).

CommonMark escapes ASCII punctuation only and would print the backslash.
"""

from __future__ import annotations

from typing import Any


def rule(state: Any, silent: bool) -> bool:
    """Inline rule at a backslash followed by a space."""
    if not state.src.startswith("\\ ", state.pos) or state.pos + 1 >= state.posMax:
        return False
    if not silent:
        state.pending += "\u00a0"
    state.pos += 2
    return True
