"""Pandoc's ``implicit_header_references``: ``[Heading text]`` links to that heading.

Pandoc reads every heading as if ``[Heading text]: #its-id`` were written in the chapter:
``[Heading text]``, ``[Heading text][]`` and ``[see here][Heading text]`` link to it. The
label matches the heading as written (emphasis included; case and spaces are folded, as
for any reference label); a definition the author wrote wins, and of two headings
written alike the first does. Without this rule those brackets came out as plain text.

Pandoc reads a book's files as one document, so a heading of one chapter file is a
label in every other (the reader shares the labels of all files before it reads their
inline text; a file's own come first).

A heading's id is only known once the reader has made ids unique across the book
(``reader._heading_attrs``), after parsing; so the rule registers a placeholder link,
``#kzpublish-heading-F-N`` for the N-th heading of the F-th file (``env[FILE]``), and
``resolve`` puts the heading's id in its place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import heading_text

PLACEHOLDER = "#kzpublish-heading-"
FILE = "kzpublish_file"
"""The env key holding the number of the file being read, from 0."""


def placeholder(file: int, heading: int) -> str:
    """The link a heading's label stands for until its id is known."""
    return f"{PLACEHOLDER}{file}-{heading}"


def rule(normalize: Callable[[str], str]) -> Callable[[Any], None]:
    """Core rule (after block, before inline) registering each heading as a reference
    label; ``normalize`` is the parser's own label folding."""
    def register(state: Any) -> None:
        references = state.env.setdefault("references", {})
        openings = [index for index, token in enumerate(state.tokens)
                    if token.type == "heading_open"]
        for number, index in enumerate(openings):
            text = state.tokens[index + 1].content
            split = heading_text.split_attributes(state.tokens[index], text)
            label = split[0] if split else text  # the heading's text, as Pandoc cuts it
            if label.strip():
                href = placeholder(state.env.get(FILE, 0), number)
                references.setdefault(normalize(label), {"href": href, "title": ""})
    return register


def resolve(tokens: Sequence[Any], ids: Mapping[str, str]) -> None:
    """Point each placeholder link at its heading's id (``ids``: placeholder → id)."""
    for inline in (token for token in tokens if token.type == "inline"):
        for child in inline.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith(PLACEHOLDER):
                child.attrSet("href", "#" + ids[href])
