"""Definition lists, tight or loose per definition as Pandoc decides.

mdit-py-plugins' deflist reads the list; it makes the whole list loose (paragraphs) when a
blank line stands anywhere in it. Pandoc decides per definition: its blocks are
paragraphs when a blank line comes before its ``:`` or inside it (a second paragraph),
and plain text otherwise — ``Term\\n:   Short.`` gives ``<dd>Short.</dd>``.
"""

from __future__ import annotations

from typing import Any


def rule(state: Any) -> None:
    """Core rule (after block): show or hide each definition's paragraph tags."""
    lines = state.src.split("\n")
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "dd_open" or not token.map:
            continue
        children = _children(tokens, index)
        first = next((c.map[0] for c in children if c.map), token.map[0])
        tight = not _loose(lines, first, token.map[1])
        for inner in children:
            if inner.type in ("paragraph_open", "paragraph_close"):
                inner.hidden = tight


def _loose(lines: list[str], first: int, last: int) -> bool:
    blank_before = first > 0 and not lines[first - 1].strip()
    body = [not line.strip() for line in lines[first:last]]
    while body and body[-1]:
        body.pop()
    return blank_before or any(body)


def _children(tokens: list[Any], index: int) -> list[Any]:
    """The tokens one level inside the definition opened at TOKENS[INDEX]."""
    level = tokens[index].level + 1
    found = []
    for token in tokens[index + 1:]:
        if token.type == "dd_close" and token.level == level - 1:
            break
        if token.level == level:
            found.append(token)
    return found
