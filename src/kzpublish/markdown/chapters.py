"""Pandoc's chapters: each level-1 heading of a file opens a chapter of its own.

A book written as one file (``# One`` … ``# Two`` … ``# References {#refs}``) is several
chapters to a reader, and to Pandoc: its EPUB writer starts a document at each level-1
heading (``--epub-chapter-level=1``), a book's PDF starts each on a new page, and its
chunked HTML a page each. So the reader cuts a file's tokens at every level-1 heading
that stands at the top level (one inside a fenced div, a list item or a raw HTML
element written around Markdown, ``<div>`` … ``</div>``, does not cut),
after parsing the whole file: reference links, footnote definitions and heading ids are
the file's, wherever they are written.

Footnotes follow their calls: markdown-it gathers every note of the file in one block
at its end, and each part takes the notes it calls (and the notes those notes call), in
their order, so a chapter's notes stay with it on screen and in the EPUB. Their numbers
and ids stay the file's, so nothing is renumbered. What stands before the first heading
is a chapter of its own (without a heading) when it shows anything, as in Pandoc's EPUB;
else (a YAML block, a title block, a comment) it goes with the first chapter, and a page
break there (``\\newpage``) is dropped: a chapter opens a new page already, and the break
left a blank one.

Free of markdown-it imports (reader.py is its adapter): these functions see only tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ..sanitize import NOT_MARKUP, VOID_ELEMENTS

Tokens = list[Any]


def split(tokens: Sequence[Any], shows_nothing: Callable[[Tokens], bool],
          lists_per_chapter: bool = False) -> list[Tokens]:
    """The file's tokens cut into chapters, each with its notes; one part when it has
    no more than one level-1 heading at its start. ``shows_nothing`` tells whether the
    tokens before the first heading render to nothing. With ``lists_per_chapter``
    (book.toml's references-per-chapter) a ``# … {#refs}`` heading places the list of the
    chapter it ends, and opens none."""
    body, notes = _body_and_notes(list(tokens))
    note_tokens = list(tokens)[len(body):]
    starts = _starts(body, lists_per_chapter)
    bare_opening = bool(starts) and shows_nothing(body[:starts[0]])
    if bare_opening:  # a chapter opens a page: no break before its heading
        breaks = sum(token.type == "page_break" for token in body[:starts[0]])
        body = [token for token in body[:starts[0]] if token.type != "page_break"] + \
            body[starts[0]:]
        starts = [start - breaks for start in starts]
    if not starts or (len(starts) == 1 and bare_opening):
        return [body + note_tokens]
    if bare_opening:
        starts[0] = 0
    else:
        starts.insert(0, 0)
    parts = [body[start:end] for start, end in zip(starts, [*starts[1:], len(body)], strict=True)]
    called = [_notes_called(part, notes) for part in parts]
    called[-1] += [token for ident in sorted(notes) for token in notes[ident]]  # none, or lost
    return [part + _note_block(part_notes) for part, part_notes in zip(parts, called, strict=True)]


def _starts(body: Tokens, lists_per_chapter: bool) -> list[int]:
    """Where chapters open: level-1 headings at the top level, outside raw HTML elements."""
    depths = _html_depths(body)
    return [index for index, token in enumerate(body) if _opens_chapter(token)
            and not depths[index]
            and not (lists_per_chapter and token.attrGet("id") == "refs")]


def _opens_chapter(token: Any) -> bool:
    return token.type == "heading_open" and token.tag == "h1" and token.level == 0


_END_TAG_OPTIONAL = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody",
                               "tfoot", "colgroup", "caption", "option", "optgroup", "rt",
                               "rp", "html", "head", "body"})
"""Elements HTML lets an author leave open: not counted, lest one unclosed ``<p>`` keep
the rest of the file from being cut."""
_UNCOUNTED = VOID_ELEMENTS | _END_TAG_OPTIONAL
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*?(/?)>")


def _html_depths(body: Tokens) -> list[int]:
    """How many raw HTML elements are open at each token: a ``<div>`` block, Markdown
    inside, then ``</div>`` is one element, and cutting it would leave one chapter with
    the opening tag and the next with a stray closing one."""
    depths, depth = [], 0
    for token in body:
        depths.append(depth)
        if token.type == "html_block" and token.level == 0:
            depth = max(depth + _html_balance(token.content), 0)
    return depths


def _html_balance(html: str) -> int:
    """Elements a raw HTML block opens, less those it closes (void ones neither)."""
    balance = 0
    for closing, name, self_closing in _TAG.findall(NOT_MARKUP.sub("", html)):
        if name.lower() not in _UNCOUNTED and not self_closing:
            balance += -1 if closing else 1
    return balance


def _body_and_notes(tokens: Tokens) -> tuple[Tokens, dict[int, Tokens]]:
    """The text, and each note's tokens (``footnote_open`` to ``footnote_close``) by id."""
    start = next((index for index, token in enumerate(tokens)
                  if token.type == "footnote_block_open"), len(tokens))
    notes: dict[int, Tokens] = {}
    current: Tokens = []
    for token in tokens[start:]:
        if token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        if token.type not in ("footnote_block_open", "footnote_block_close"):
            current.append(token)
    return tokens[:start], notes


def _notes_called(part: Tokens, notes: dict[int, Tokens]) -> Tokens:
    """The notes a part's text calls and those they call, in order, taken from ``notes``."""
    wanted: set[int] = set()
    pending = _calls(part)
    while pending:
        ident = pending.pop()
        if ident not in wanted and ident in notes:
            wanted.add(ident)
            pending += _calls(notes[ident])
    return [token for ident in sorted(wanted) for token in notes.pop(ident)]


def _calls(tokens: Tokens) -> list[int]:
    """The ids of the notes these tokens call."""
    return [child.meta["id"] for token in tokens if token.type == "inline"
            for child in token.children or [] if child.type == "footnote_ref"]


def _note_block(notes: Tokens) -> Tokens:
    """Notes inside a ``footnote_block_open`` … ``_close`` pair, made as the notes' tokens
    are made; nothing when there are none."""
    if not notes:
        return []
    make = type(notes[0])
    return [make("footnote_block_open", "", 1), *notes, make("footnote_block_close", "", -1)]


__all__ = ["split"]
