"""Links that did not come out as links: their brackets are printed as text.

CommonMark leaves ``[text](url "a "quoted" title")`` (Pandoc reads that one), a
``[text][label]`` without a ``[label]: url`` definition, and a definition it cannot read
(``[label]: url "a "quoted" title"``) as plain text. The reader
cannot know what was meant, so each is a warning at its line rather than silent text.
"""

from __future__ import annotations

import re
from typing import Any

from . import findings

_UNREAD = re.compile(r"\[[^\[\]\n]+\](?:\([^)\n]*\)?|\[[^\[\]\n]*\]|:[ \t]+\S+)")


def rule(state: Any) -> None:
    """Core rule (after inline): warn about link syntax left in the text."""
    src_lines = state.src.split("\n")
    for inline in (token for token in state.tokens if token.type == "inline"):
        for child in inline.children or []:
            found = _UNREAD.search(child.content) if child.type == "text" else None
            if found:
                line, column = findings.place_of(found[0], inline, src_lines)
                findings.warn(state.env, line,
                              f"'{found[0]}' is not a link: check its brackets, its URL and its "
                              "title (quotes in a title need a backslash), or define the label",
                              column)
