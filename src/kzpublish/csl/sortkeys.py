"""Sort keys and citation order as citeproc-js makes them: dates, names, grouped cites.

A date in a ``cs:key`` renders as citeproc-js renders it there: a numeric key.
citeproc-py renders a date inside a sort key's macro as the text a reader sees
("2000", "May 2000"), and ``disambiguation`` adds the year suffix to it ("2000a"); so
"2001", all digits, sorted before "2000a" (annual-reviews-author-date's cites read
"Doe 2001, 2000a,b" where citeproc-js has "Doe 2000a,b, 2001"). citeproc-js
(``CSL.dateAsSortKey``) renders such a date as "1YYYYMMDD" for its start and again for
its end (a year before 0 as "0" and 9999 less it), each part the date element does not
show as zeros, and no year suffix: a key that compares by number. A date it has no year
of (literal, missing) renders nothing.

A name list in a macro's key is keyed as citeproc-js keys it too (``sort_key_flag``):
its names joined by the name delimiter, without the "and" before the last
("Colaresi, Rasler, Thompson" before "Colaresi, Thompson"; with "and" the space before it
sorted "Colaresi and Thompson" first) nor an "et al." after a list cut short by
names-use-first (CSL 1.0.2: the et-al and and-others terms are excluded from sort keys).

A citation's cites are sorted as citeproc-js sorts them in a style that groups them
(``grouped``): one author's cites together, where the keys alone would part them.

``sorting`` marks the time a ``cs:sort`` renders its keys (``csl._collated_sort``);
outside it, dates render as before. Nor does a year suffix render in a key meanwhile:
citeproc-js assigns them in the reference list's order, after sorting, and leaves cites
whose keys differ only by their suffix in the order the author wrote them.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from citeproc.model import Date, Name
from citeproc.source import Date as DateValue
from citeproc.source import DateRange

Thing = TypeVar("Thing")
_SORTING: contextvars.ContextVar[bool] = contextvars.ContextVar("kz_sorting", default=False)
_PARTS = ("year", "month", "day")


@contextmanager
def sorting(items: Sequence[Any]) -> Iterator[None]:
    """Meanwhile dates render as sort keys, and the items' references are without the
    year suffixes disambiguation gave them: citeproc-js's "[@doe2000b; @doe2000a]" stays
    "Doe 2000b; Doe 2000a" under a key of year and year suffix; with the suffix in the
    key, we swapped them."""
    taken = [(reference, reference.pop("year_suffix")) for reference in
             (item.reference for item in items)
             if reference is not None and "year_suffix" in reference]
    token = _SORTING.set(True)
    try:
        yield
    finally:
        _SORTING.reset(token)
        for reference, suffix in taken:
            reference["year_suffix"] = suffix


def date_key(value: Any, shown: Sequence[str]) -> str | None:
    """citeproc-js's sort key of a date value, its parts not ``shown`` as zeros."""
    begin, end = (value.begin, value.get("end")) if isinstance(value, DateRange) \
        else (value, None)
    if not isinstance(begin, DateValue) or not begin.get("year"):
        return None
    return _single_key(begin, shown) + _single_key(end, shown)


def _single_key(date: Any, shown: Sequence[str]) -> str:
    def part(name: str) -> int:
        return int(date.get(name) or 0) if date is not None and name in shown else 0

    year = part("year")
    text = f"1{year:04d}" if year >= 0 else f"0{9999 + year:04d}"
    return text + "".join(f"{part(name):02d}" for name in _PARTS[1:])


def _shown_parts(element: Any) -> list[str]:
    """The parts a date element shows (a localized date: its ``date-parts``)."""
    if element.get("form") is not None:
        return str(element.get("date-parts", "year-month-day")).split("-")
    return [part.get("name") for part in element.iterchildren()
            if part.get("name") in _PARTS]


_original_date_process = Date.process


def _keyed_date(self: Any, item: Any, variable: str | None = None, *args: Any,
                **kwargs: Any) -> Any:
    """A style's date while a ``cs:sort`` renders: its numeric key (see the module)."""
    if not _SORTING.get() or self.is_locale_date():
        return _original_date_process(self, item, variable, *args, **kwargs)
    name = (variable or self.get("variable") or "").replace("-", "_")
    value = item.reference.get(name) if name else None
    key = date_key(value, _shown_parts(self)) if value is not None else None
    return self.preformat(key) if key else None


_original_name_process = Name.process
_original_et_al = Name.et_al


def _keyed_names(self: Any, item: Any, variable: Any, context: Any = None,
                 sort_options: Any = None, **kwargs: Any) -> Any:
    """A name list in a macro's sort key (``sort_options`` set): without "and" (see the
    module; its "et al." ``_no_et_al_in_keys`` leaves out)."""
    if sort_options is not None:
        sort_options = {**sort_options, "and": None}
    return _original_name_process(self, item, variable, context, sort_options, **kwargs)


def _no_et_al_in_keys(self: Any) -> Any:
    """The et-al term, none while a ``cs:sort`` renders its keys."""
    return None if _SORTING.get() else _original_et_al(self)


Date.process = _keyed_date
Name.process = _keyed_names
Name.et_al = _no_et_al_in_keys


def sorts_groups(style: Any, grouping_delimiter: bool) -> bool:
    """Whether the style's citation sort keeps each author's cites together, as
    citeproc-js's ``grouped_sort`` decides: an in-text style that collapses, or one with a
    cite-group-delimiter (GROUPING_DELIMITER) whose cites neither ask their position nor
    print a citation number."""
    citation = style.citation
    if citation is None:
        return False
    if style.get("class") == "in-text" and citation.get("collapse"):
        return True
    return grouping_delimiter and not _asks_position(style) and not prints_citation_number(style)


def _asks_position(style: Any) -> bool:
    """A position test anywhere, or et-al-subsequent options unlike the first cite's."""
    def option(name: str) -> Any:
        return style.citation.get(name, style.get(name))

    return any(element.get("position") for element in style.iter()) or any(
        option(f"et-al-subsequent-{which}") not in (None, option(f"et-al-{which}"))
        for which in ("min", "use-first"))


def prints_citation_number(style: Any) -> bool:
    """Whether the citation (its macros too) prints the citation number: what makes a
    style numeric to citeproc-js."""
    csl_ns = "{http://purl.org/net/xbiblio/csl}"
    macros = {macro.get("name"): macro for macro in style.iterchildren(csl_ns + "macro")}
    pending, seen = [style.citation.layout], set()
    while pending:
        for element in pending.pop().iter(csl_ns + "text", csl_ns + "number"):
            if "citation-number" in str(element.get("variable") or "").split():
                return True
            called = element.get("macro")
            if called in macros and called not in seen:
                seen.add(called)
                pending.append(macros[called])
    return False


def grouped(ordered: list[Thing], names: Sequence[Any], first_keys: Sequence[Any],
            descending: bool) -> list[Thing]:
    """ORDERED (a citation's items as its keys sort them) with each author's cites
    together, as citeproc-js sorts a citation of a style that groups: by the NAMES each
    cite prints, then the keys; then each author's run placed by its first cite's
    FIRST_KEYS value ("Smith 2003, 2010; Jones 2005", not "Smith 2003; Jones 2005; Smith
    2010"). The names and runs compare in the first key's direction (DESCENDING); a run
    without a first key goes last, as a missing key does.

    citeproc-js appends each cite's place to its run's key and compares the two as text,
    so with a descending first key it reverses a run's cites; a run keeps its keys' order
    here.
    """
    positions = sorted(range(len(ordered)), key=lambda at: names[at], reverse=descending)
    runs: list[list[int]] = []
    for at in positions:
        if runs and names[runs[-1][-1]] == names[at]:
            runs[-1].append(at)
        else:
            runs.append([at])
    keyed = sorted((run for run in runs if first_keys[run[0]] is not None),
                   key=lambda run: first_keys[run[0]], reverse=descending)
    unkeyed = [run for run in runs if first_keys[run[0]] is None]
    return [ordered[at] for run in keyed + unkeyed for at in run]
