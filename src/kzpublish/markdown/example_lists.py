"""Pandoc's example lists: ``(@)`` items numbered on through the book, ``(@label)``
items referred to as ``@label``.

A linguist's numbered examples: every ``(@)``, ``(@label)``, ``@.`` or ``@)`` item takes
the next number, however many lists and paragraphs stand between; a later list starts
where the last one stopped (``<ol class="example" type="1" start="3">``, as pandoc
writes it). ``@label`` in the text prints the number of the example so labelled, as
pandoc prints it — it was read as a citation of an unknown key, an error. Pandoc numbers
through its one document; kzpublish through each chapter, as a book numbers examples.

As ``fancy_lists`` does, the block rule rewrites each marker in the source into a decimal
one of the same length and lets markdown-it's list rule read the list.
"""

from __future__ import annotations

import re
from typing import Any

from ..cite_syntax import KEY_RE

_MARKER = re.compile(r"(?P<open>\()?@(?P<label>[\w-]*)(?P<close>[.)])(?=[ \t]|$)")
KEY = "kz_examples"
"""The env key of the book's examples so far: their count and labels (``numbering``)."""
_LISTS = "kz_example_lists"
"""The env key of the file's example lists: the first number of each, by its first line."""


def numbering() -> dict[str, Any]:
    """A book's example count and labels, to share among its files' environments
    (``env[KEY]``) so that they number on as pandoc's one document does."""
    return {"count": 0, "labels": {}}


def _examples(env: Any) -> dict[str, Any]:
    """The book's examples so far (a lone file's when no ``numbering`` was shared)."""
    return env.setdefault(KEY, numbering())


def _marker(state: Any, line: int) -> re.Match[str] | None:
    start = state.bMarks[line] + state.tShift[line]
    found = _MARKER.match(state.src, start, state.eMarks[line])
    return None if found and found["open"] and found["close"] != ")" else found


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule before the lists': number an example list's items, then let it be read."""
    if state.sCount[start_line] - state.blkIndent >= 4 or not _marker(state, start_line):
        return False
    if silent:
        return state.listIndent >= 0  # a sublist under an item's text, as other lists
    examples = _examples(state.env)
    state.env.setdefault(_LISTS, {})[start_line] = examples["count"] + 1
    for line in [start_line, *_siblings(state, start_line, end_line)]:
        _rewrite(state, line, examples)
    return False


def _delimiters(found: re.Match[str] | None) -> tuple[str | None, str] | None:
    return (found["open"], found["close"]) if found else None


def _siblings(state: Any, start_line: int, end_line: int) -> list[int]:
    """Later items of the list: example markers of its delimiters (``(@)`` and ``@.`` make
    two lists) at its indent, until a paragraph after a blank line or an outdent ends it."""
    indent, found, after_blank = state.sCount[start_line], [], False
    delimiters = _delimiters(_marker(state, start_line))
    for line in range(start_line + 1, end_line):
        if state.isEmpty(line):
            after_blank = True
            continue
        if state.sCount[line] == indent and _delimiters(_marker(state, line)) == delimiters:
            found.append(line)
        elif state.sCount[line] < indent or (after_blank and state.sCount[line] == indent):
            break
        after_blank = False
    return found


def _rewrite(state: Any, line: int, examples: dict[str, Any]) -> None:
    found = _marker(state, line)
    if found is None:
        return
    examples["count"] += 1
    if found["label"]:
        examples["labels"][found["label"]] = examples["count"]
    decimal = "0" * (found.end() - found.start() - 2) + "1" + found["close"]
    state.src = state.src[:found.start()] + decimal + state.src[found.end():]


def reference(state: Any, silent: bool) -> bool:
    """Inline rule before the citations': ``@label`` of an example is its number."""
    before = state.src[state.pos - 1] if state.pos else ""
    if state.src[state.pos] != "@" or KEY not in state.env or before.isalnum():
        return False
    found = KEY_RE.match(state.src, state.pos)
    if found is None:
        return False
    number = _examples(state.env)["labels"].get(found["key"] or found["braced"])
    if number is None:
        return False
    if not silent:
        state.push("text", "", 0).content = str(number)
    state.pos = found.end()
    return True


def attributes(state: Any) -> None:
    """Core rule (after block): each example list is pandoc's ``<ol class="example">``."""
    lists = state.env.get(_LISTS, {})
    for token in state.tokens:
        if token.type == "ordered_list_open" and token.map and token.map[0] in lists:
            token.attrSet("class", "example")
            token.attrSet("type", "1")
            start = lists[token.map[0]]
            if start != 1:
                token.attrSet("start", str(start))
            elif token.attrGet("start") is not None:
                del token.attrs["start"]


__all__ = ["KEY", "attributes", "numbering", "reference", "rule"]
