"""Pandoc's ``implicit_header_references``: ``[Heading text]`` links to that heading.

Pandoc reads every heading as if ``[Heading text]: #its-id`` were written in the chapter:
``[Heading text]``, ``[Heading text][]`` and ``[see here][Heading text]`` link to it. The
label matches the heading as written (emphasis included; case and spaces are folded, as
for any reference label); a definition the author wrote wins, and of two headings
written alike the first does. Without this rule those brackets came out as plain text.

A heading's id is only known once the reader has made ids unique across the book
(``reader._heading_attrs``), after parsing; so the rule registers a placeholder link,
``#kzpublish-heading-N`` for the N-th heading of the chapter, and ``resolve`` puts the
heading's id in its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

PLACEHOLDER = "#kzpublish-heading-"
_TRAILING_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")


def rule(normalize: Callable[[str], str]) -> Callable[[Any], None]:
    """Core rule (after block, before inline) registering each heading as a reference
    label; ``normalize`` is the parser's own label folding."""
    def register(state: Any) -> None:
        references = state.env.setdefault("references", {})
        openings = [index for index, token in enumerate(state.tokens)
                    if token.type == "heading_open"]
        for number, index in enumerate(openings):
            label = _TRAILING_ATTRIBUTES.sub("", state.tokens[index + 1].content)
            if label.strip():
                references.setdefault(normalize(label),
                                      {"href": f"{PLACEHOLDER}{number}", "title": ""})
    return register


def resolve(tokens: Sequence[Any], ids: Sequence[str]) -> None:
    """Point each placeholder link at its heading's id (``ids``: the chapter's headings'
    ids, in order)."""
    for inline in (token for token in tokens if token.type == "inline"):
        for child in inline.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith(PLACEHOLDER):
                child.attrSet("href", "#" + ids[int(href.removeprefix(PLACEHOLDER))])
