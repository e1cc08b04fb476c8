"""CSL's ``first-reference-note-number``: the note in which a cited item was first cited.

citeproc-py 0.11 lists the variable but never sets it, so OSCOLA's short note lost its
"(n 1)" ("Brown (n 1) 12" read "Brown 12") and a ``cs:if variable=…`` on it never held.
citeproc-js sets it from the noteIndex the caller gives each citation. Here a citation
is told the number of its note by ``Engine.cluster(note)`` — the book's own numbering,
author's notes included (``citation_notes.note_numbers``) — and while one of its items
renders, the item's reference carries the variable, as citeproc-js sets it: only when
the item was cited before (its position is not "first") and in another note than this
one. Putting it on the reference (and taking it off after) lets every reader of a
variable — cs:text, cs:number, cs:label, cs:if variable/is-numeric, cs:group's
suppression — see it without a mend of each.

The note numbers also mend "ibid" (``ibid_from_the_previous_note``): citeproc-py
decides it from the cites alone, citeproc-js from the notes they stand in (and an author's
name in the text is never "ibid": ``never_ibid``); and "near-note"
(``near_note_by_notes``), which citeproc-js measures in notes. ``Locator`` lets "ibid"
see that a cite repeats the locator of the one before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import citeproc

VARIABLE = "first_reference_note_number"
"""The variable as citeproc-py's references hold it (underscores)."""
NOTE = "kz_note"
"""Where a cluster (a citeproc ``Citation``) keeps the number of its note."""
PLACE = "kz_place"
"""Where a cluster keeps the note it counts as for "ibid", when that is not its note: an
in-text style's citation in the text counts as a note of its own, as Pandoc numbers it
(``Engine.cluster``)."""


class FirstCites:
    """The first cite of each key in citeproc-py's history, kept without rescanning it.

    The history only grows at its end, or is cut back to an earlier length (an author-only
    render taken out, ``Engine.map_citations`` starting again): what was read stays valid
    while the last cite read is still where it was; otherwise it is read again.
    """

    def __init__(self) -> None:
        self._first: dict[str, Any] = {}
        self._read = 0
        self._last: Any = None

    def note(self, history: Sequence[Any], key: str) -> int | None:
        """The number of the note the key was first cited in; None: not cited before, or
        not in a note."""
        self._catch_up(history)
        cite = self._first.get(key.lower())
        return None if cite is None else of(cite.citation)

    def _catch_up(self, history: Sequence[Any]) -> None:
        if self._read and (self._read > len(history) or history[self._read - 1] is not self._last):
            self._first, self._read = {}, 0
        for cite in history[self._read:]:
            self._first.setdefault(cite.key, cite)
        self._read = len(history)
        self._last = history[-1] if history else None


def of(cluster: Any) -> int | None:
    """The number of the note a cluster stands in (``Engine.cluster``), if it was given."""
    note = None if cluster is None else dict.get(cluster, NOTE)
    return note if isinstance(note, int) else None


def place(cluster: Any) -> int | None:
    """The note a cluster counts as for "ibid": its ``PLACE`` if given, else its note."""
    counted = None if cluster is None else dict.get(cluster, PLACE)
    return counted if isinstance(counted, int) else of(cluster)


def printed(first: int | None, note: int | None) -> int | None:
    """The variable's value for a cite in note ``note`` of an item first cited in note
    ``first``: none for a first cite, a cite in no note, or one in that same note."""
    return None if first is None or note is None or first == note else first


@contextmanager
def carrying(reference: Any, number: int | None) -> Iterator[None]:
    """Renders within see the reference's ``first-reference-note-number`` as ``number``
    (None: as it was). ``reference`` None: a key the source lacks."""
    if reference is None or number is None:
        yield
        return
    written = dict.get(reference, VARIABLE)
    reference[VARIABLE] = str(number)
    try:
        yield
    finally:
        if written is None:
            del reference[VARIABLE]
        else:
            reference[VARIABLE] = written


_IBID = ("ibid", "ibid-with-locator")
_NEVER_IBID: ContextVar[bool] = ContextVar("kz_never_ibid", default=False)


@contextmanager
def never_ibid() -> Iterator[None]:
    """Renders within are at most "subsequent": an author's name standing in the text
    (a narrative ``@key``'s author-only form) is no cite of its own that could repeat
    the one before. Pandoc (citeproc's AuthorOnly item, never the first of its
    citation's positions) renders it so, and the oracle's composed narrative too: after
    a cite of Knuth, "@knuth1984 says" prints the subsequent form's "Knuth", not a style's
    "Ibid." (then no name at all)."""
    token = _NEVER_IBID.set(True)
    try:
        yield
    finally:
        _NEVER_IBID.reset(token)


def ibid_from_the_previous_note(position: Callable[..., list[bool]]) -> Callable[..., list[bool]]:
    """citeproc-py's ``If._position``, but "ibid" across notes only from the note just
    before, when it holds that one cite.

    citeproc-py knows no notes: after a cite in note 1 and an author's note 2 without
    citations, a cite of the same item in note 3 was "ibid", pointing the reader at a
    note that cites nothing. citeproc-js (and Chicago, OSCOLA) make it a subsequent cite,
    "Brown (n 1)"; likewise after a previous note that holds more than one cite. An
    in-text style's citations are measured by ``place``: Pandoc counts each one in the
    text as a note, so a cite in the text after an author's note that cites nothing, or
    in a note after such a note, is not "ibid" either (pandoc 2.17 and citeproc-js agree).
    """
    def mended(self: Any, item: Any, context: Any = None) -> list[bool]:
        results = position(self, item, context)
        if not any(results) or not (_NEVER_IBID.get() or _apart(
                item, (context if context is not None else self))):
            return results
        asked = self.get("position").split()
        return [held and asked[index] not in _IBID for index, held in enumerate(results)]
    return mended


def _apart(item: Any, context: Any) -> bool:
    """Whether the cite before this one stands in another note that is not the one just
    before, or in one that holds more cites than that."""
    history = context.get_layout().getparent().cites
    note = place(dict.get(item, "citation"))
    if not history or note is None:
        return False
    before = place(dict.get(history[-1], "citation"))
    if before is None or before == note:
        return False
    if note - before > 1:
        return True
    in_that_note = 0
    for cite in reversed(history):
        if place(dict.get(cite, "citation")) != before:
            break
        in_that_note += 1
    return in_that_note > 1


class Locator(citeproc.Locator):
    """A cite's locator, equal to another of the same label and value.

    citeproc-py compares locators by identity, so a cite repeating the page of the one
    before ("[@lee, p. 40]" after "[@lee, p. 40, emphasis added]") was "ibid-with-locator"
    (McGill: "ibid at 40"); citeproc-js compares locator and label: "ibid" (CSL 1.0.2:
    ibid-with-locator only when the locators differ or only this cite has one).
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, citeproc.Locator):
            return NotImplemented
        return (self.label, self.identifier) == (other.label, other.identifier)

    def __hash__(self) -> int:
        return hash((self.label, self.identifier))


def near_note_by_notes(position: Callable[..., list[bool]]) -> Callable[..., list[bool]]:
    """citeproc-py's ``If._position``, its "near-note" measured as citeproc-js does: the
    item was cited before, in a note at most ``near-note-distance`` notes back.

    citeproc-py counts citations back from the last cite, starting one too high and
    counting this cite's own citation when it holds several: with a distance of 2, a
    source cited in note 5 was far in note 7. citeproc-js subtracts the note numbers
    (7 − 5 = 2: near). Citations given no note number (in-text styles) count as a note
    each, as the oracle numbers them.
    """
    def mended(self: Any, item: Any, context: Any = None) -> list[bool]:
        results = position(self, item, context)
        asked = self.get("position").split()
        where = context if context is not None else self
        if "near-note" not in asked or where.xpath_search(_IN_BIBLIOGRAPHY):
            return results  # no position in a bibliography: citeproc-py's [False]
        near = _near_note(self, item, where)
        return [near if name == "near-note" else held
                for name, held in zip(asked, results, strict=True)]
    return mended


_IN_BIBLIOGRAPHY = "./ancestor::*[self::cs:bibliography]"


def _near_note(test: Any, item: Any, context: Any) -> bool:
    history = context.get_layout().getparent().cites
    last = next((cite for cite in reversed(history) if cite.key == item.key), None)
    if last is None:
        return False
    distance = test.get_root().get_option("near-note-distance")
    here, there = of(dict.get(item, "citation")), of(dict.get(last, "citation"))
    if here is not None and there is not None:
        return bool(here - there <= distance)
    return _citations_back(item, last, history) <= distance


def _citations_back(item: Any, last: Any, history: Sequence[Any]) -> int:
    """How many citations back ``last`` stands from the one ``item`` renders in."""
    count, citation = 0, dict.get(item, "citation")
    for cite in reversed(history):
        if dict.get(cite, "citation") is not citation:
            count, citation = count + 1, dict.get(cite, "citation")
        if cite is last:
            break
    return count
