"""Bracketed spans: ``[text]{.smallcaps}`` → ``<span class="smallcaps">text</span>``.

A span is brackets directly followed by an attribute block; links and citations, tried
earlier, keep their own bracket syntax. As pandoc writes them, ``{.mark}`` is a
``<mark>`` (keeping its other attributes) and ``{.underline}`` alone a ``<u>``; with
more attributes it stays a span, which base.css underlines as pandoc's stylesheet does.
Both were plain spans, the author's highlight and underline lost.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import attributes


def rule(state: Any, silent: bool) -> bool:
    """Inline rule at ``[``: a span when the closing ``]`` is followed by ``{attributes}``."""
    if state.src[state.pos] != "[" or state.src.find("]{", state.pos) < 0:
        return False  # no "]{" ahead: no span, and no label to scan (a citation's brackets)
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
    tag, parsed = _element(parsed)
    opening = state.push("span_open", tag, 1)
    attributes.apply(opening, parsed, tag)
    old_max = state.posMax
    state.pos, state.posMax = state.pos + 1, label_end
    state.md.inline.tokenize(state)
    state.posMax = old_max
    state.push("span_close", tag, -1)


def _element(parsed: attributes.Attributes) -> tuple[str, attributes.Attributes]:
    """The element pandoc writes for a span's attributes, and the attributes left to it."""
    if "mark" in parsed.classes:
        return "mark", replace(parsed, classes=tuple(c for c in parsed.classes if c != "mark"))
    if parsed == attributes.Attributes(classes=("underline",)):
        return "u", attributes.Attributes()
    return "span", parsed
