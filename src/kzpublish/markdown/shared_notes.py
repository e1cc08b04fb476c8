"""Notes across files: ``[^x]`` called in one file may be defined in another.

Pandoc reads a book's files as one document, so a note's definition serves a call in any
of them; markdown-it reads each file alone, printed the call as ``[^x]`` and lost the
note's text. So once every file's blocks are read, the labels a file calls but another
defines are declared in its parser's environment (``declare``: markdown-it then reads
those calls as notes); and once every file's inline text is read, before markdown-it
gathers a file's notes (``footnote_tail``), the file gets a copy of those definitions as
their own file read them (``lend``): the rules that warn have seen them there, once, at
their own lines. A copy's inline tokens name the file they were written in
(``meta["origin"]``, its index), so a citation in them is placed in that file.

Free of markdown-it imports (reader.py is its adapter): these functions see only tokens.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
"""A note's call as written; one that turns out not to be (in code, say) only costs a
copy that markdown-it drops."""

Lent = dict[str, int]
"""The labels a file calls that another file defines, with that file's index."""
CALLED_ELSEWHERE = "kzpublish_notes_called_elsewhere"
"""The env key holding the labels a file defines that another file calls (no warning that
they are never called: ``footnote_checks``)."""


def declare(files: Sequence[tuple[str, list[Any], dict[str, Any]]]) -> list[Lent]:
    """For each file (its text, its block tokens, its parser environment), the labels it
    calls that only another file defines (the first such file serves), declared in its
    environment so that its calls read as notes."""
    defined = [set(_definitions(tokens)) for _, tokens, _env in files]
    homes: dict[str, int] = {}
    for number, labels in enumerate(defined):
        for label in sorted(labels):
            homes.setdefault(label, number)
    wanted = []
    for number, (text, _tokens, env) in enumerate(files):
        lent = {label: homes[label] for label in dict.fromkeys(_CALL.findall(text))
                if label in homes and label not in defined[number]}
        if lent:  # markdown-it's own footnote state, as its definition rule makes it
            notes = env.setdefault("footnotes", {})
            notes.setdefault("list", {})
            notes.setdefault("refs", {}).update({":" + label: -1 for label in lent})
        for label, home in lent.items():
            files[home][2].setdefault(CALLED_ELSEWHERE, set()).add(label)
        wanted.append(lent)
    return wanted


def lend(tokens_of_files: Sequence[list[Any]], wanted: Sequence[Lent]) -> None:
    """Append to each file's tokens a copy of each definition ``declare`` found it
    wanted, taken from its home file's tokens, inline text read."""
    definitions = [_definitions(tokens) for tokens in tokens_of_files]
    for tokens, lent in zip(tokens_of_files, wanted, strict=True):
        for label, home in lent.items():
            tokens += _copied(definitions[home][label], home)


def _definitions(tokens: list[Any]) -> dict[str, list[Any]]:
    """Each note definition's tokens, ``footnote_reference_open`` to ``_close``, by label."""
    found: dict[str, list[Any]] = {}
    current: list[Any] = []
    depth = 0
    for token in tokens:
        if token.type == "footnote_reference_open" and not depth:
            current = []  # a label defined twice: the first definition serves
            found.setdefault(token.meta["label"], current)
        depth += {"footnote_reference_open": 1, "footnote_reference_close": -1}.get(
            token.type, 0)
        if depth or token.type == "footnote_reference_close":
            current.append(token)
    return found


def _copied(definition: list[Any], origin: int) -> list[Any]:
    """The definition's tokens, copied, their inline text marked as ``origin``'s."""
    tokens = copy.deepcopy(definition)
    for token in tokens:
        if token.type == "inline":
            token.meta["origin"] = origin
    return tokens


__all__ = ["Lent", "declare", "lend"]
