"""Bracketed spans: ``[text]{.smallcaps}`` → ``<span class="smallcaps">text</span>``.

A span is brackets directly followed by an attribute block; links and citations, tried
earlier, keep their own bracket syntax.
"""

from __future__ import annotations

from typing import Any

from . import attributes


def rule(state: Any, silent: bool) -> bool:
    """Inline rule at ``[``: a span when the closing ``]`` is followed by ``{attributes}``."""
    if state.src[state.pos] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0:
        return False
    found = attributes.parse(state.src, label_end + 1)
    if found is None or found[0].raw_format:
        return False
    parsed, end = found
    if not silent:
        _push_span(state, label_end, parsed)
    state.pos = end
    return True


def _push_span(state: Any, label_end: int, parsed: attributes.Attributes) -> None:
    opening = state.push("span_open", "span", 1)
    attributes.apply(opening, parsed, "span")
    old_max = state.posMax
    state.pos, state.posMax = state.pos + 1, label_end
    state.md.inline.tokenize(state)
    state.posMax = old_max
    state.push("span_close", "span", -1)
