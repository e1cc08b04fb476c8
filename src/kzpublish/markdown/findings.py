"""Warnings the Markdown rules raise while parsing, kept in the parse's ``env``.

A rule knows the source line (0-based, as markdown-it's ``Token.map``) but not the file;
the reader turns each finding into a ``Diagnostic`` at FILE:LINE once the chapter is read.
"""

from __future__ import annotations

from typing import Any

_KEY = "kz_findings"


def warn(env: Any, line: int, message: str, column: int = 0) -> None:
    """Note MESSAGE about the 0-based source LINE (and COLUMN, when known)."""
    env.setdefault(_KEY, []).append((line, column, message))


def taken(env: Any) -> list[tuple[int, int, str]]:
    """The findings of a parse as (line, column, message), 0-based, in source order (rules
    run in several passes)."""
    return sorted(env.pop(_KEY, []), key=lambda finding: finding[:2])


def line_of(snippet: str, inline: Any, src_lines: list[str]) -> int:
    """The 0-based line where SNIPPET stands inside the block of the INLINE token."""
    return place_of(snippet, inline, src_lines)[0]


def place_of(snippet: str, inline: Any, src_lines: list[str]) -> tuple[int, int]:
    """The 0-based line and column where SNIPPET stands inside the block of the INLINE
    token (its first line, column 0, when it is not written as it reads)."""
    first, last = inline.map or (0, len(src_lines))
    head = snippet.split("\n", 1)[0]
    for number in range(first, min(last, len(src_lines))):
        if head in src_lines[number]:
            return number, src_lines[number].index(head)
    return first, 0


DROPPED = "kz_dropped"
"""The type of an inline token whose source is left out of the output (Pandoc drops it too)."""


def drop(token: Any, what: str, snippet: str) -> None:
    """Turn TOKEN into a dropped one: rendered as nothing, reported as WHAT."""
    token.type, token.tag, token.nesting, token.content = DROPPED, "", 0, ""
    token.meta = {"what": what, "snippet": snippet}


def render_dropped(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return ""


def report_dropped(state: Any) -> None:
    """Core rule: a warning for each dropped inline token, at its line."""
    src_lines = state.src.split("\n")
    for inline in (token for token in state.tokens if token.type == "inline"):
        for child in _descendants(inline.children or []):
            if child.type == DROPPED:
                line, column = place_of(child.meta["snippet"], inline, src_lines)
                warn(state.env, line, child.meta["what"], column)


def _descendants(tokens: list[Any]) -> list[Any]:
    found = []
    for token in tokens:
        found.append(token)
        found += _descendants(token.children or [])
    return found
