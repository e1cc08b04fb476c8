"""A heading's text and its attribute block, cut where Pandoc cuts them.

Pandoc's ATX heading ends with optional closing hashes, then optional attributes
(``atxClosing``: ``#*``, spaces, ``{…}``, end of line): ``# Title ## {#id}`` is "Title"
with the id ``id``, while in ``# Title {#id} ##`` the braces come before the closing
hashes and are text ("Title {#id}"). The closing hashes need no space before them
(``# C#`` is "C", ``# X\\##`` is "X#"), unlike CommonMark's. A setext heading's line may
end with attributes too, and has no closing hashes. The attribute block is the heading's
only when the inline parser left it as text: ``[span]{.c}``, ``[a](b){#i}`` and
``\\{#x}`` at the end are a span's, a link's and text (``take_attributes``).

Free of markdown-it imports (reader.py is its adapter): these functions see only tokens.
"""

from __future__ import annotations

import re
from typing import Any

from . import attributes
from .blank_before import BlockRule

CLOSED = "closed_by_hashes"
"""The ``heading_open`` meta key set when its line ended with closing hashes: no
attribute block can follow them."""

_OPENING = re.compile(r"#{1,6}(?:[ \t]+|$)")
_BLOCK = re.compile(r"\{[^{}]*\}[ \t]*$")
_HASHES = re.compile(r"#+[ \t]*$")


def atx(rule: BlockRule) -> BlockRule:
    """RULE (markdown-it's ``heading``), the closing hashes taken off as Pandoc does."""
    def wrapped(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        made = rule(state, start_line, end_line, silent)
        if made and not silent:
            line = state.src[state.bMarks[start_line] + state.tShift[start_line]:
                             state.eMarks[start_line]]
            text = _OPENING.sub("", line, count=1).rstrip()
            kept = _without_closing_hashes(text)
            state.tokens[-2].content = kept.strip()
            if kept != text:
                state.tokens[-3].meta[CLOSED] = True
        return made
    return wrapped


def split_attributes(opening: Any, content: str) -> tuple[str, attributes.Attributes] | None:
    """A heading's text without the attribute block ending it (and, on an ATX heading, the
    closing hashes before it), and the block; ``None`` when its line ends with none. Seen
    before inline parsing: the block may still turn out a span's (``take_attributes``)."""
    block = None if opening.meta.get(CLOSED) else _BLOCK.search(content)
    if block is None or _escaped(content, block.start()):
        return None
    parsed = attributes.parse_whole(block[0])
    if parsed is None or parsed.raw_format:
        return None
    text = content[:block.start()].rstrip()
    if opening.markup.startswith("#"):
        text = _without_closing_hashes(text).rstrip()
    return text, parsed


def take_attributes(opening: Any, inline: Any) -> attributes.Attributes | None:
    """The attribute block ending a heading's text, taken out of its text (and, on an ATX
    heading, the closing hashes before it); ``None`` when there is none."""
    split = split_attributes(opening, inline.content)
    if split is None:
        return None
    text, parsed = split
    cut = inline.content[len(text):]
    last = inline.children[-1] if inline.children else None
    if last is None or last.type != "text" or not last.content.endswith(cut):
        return None  # the braces are a span's, a link's or code's attributes
    inline.content = text
    last.content = last.content[:len(last.content) - len(cut)]
    return parsed


def _without_closing_hashes(text: str) -> str:
    """TEXT less the hashes (and spaces) ending it, the first hash kept when a backslash
    escapes it."""
    hashes = _HASHES.search(text)
    if hashes is None:
        return text
    start = hashes.start() + 1 if _escaped(text, hashes.start()) else hashes.start()
    return text[:start]


def _escaped(text: str, index: int) -> bool:
    """Whether the character at INDEX follows an odd number of backslashes."""
    backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
    return backslashes % 2 == 1


__all__ = ["CLOSED", "atx", "split_attributes", "take_attributes"]
