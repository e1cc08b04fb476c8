"""Date ranges as citeproc-js renders them: the parts that differ as a range, the rest once.

citeproc-py 0.11 moves the shared parts after the range whatever the style's order of
date parts, keeping the affixes they had before: "March 1–4, 2019" came out as
"1,–4, March 2019". CSL 1.0.2 ("Date Ranges") and citeproc-js render the date parts in
the style's order; the run of parts from the largest that differs (year, month or
season, day) down is rendered for the start, the ``range-delimiter`` of that largest
part (an en dash by default), then for the end — the start's run without the suffix of its last part
("March 30–April 2, 2019", "1–4 March 2019") — and the parts the ends share once around it.

The reference data reaches citeproc-py in one shape (``kzpublish.bib_dates``); a literal
date prints only where the date element shows the year (``_literal_with_its_year``), and
CSL 1.0.2's ``available-date`` is a date. A localized date's parts are parted by the
locale's delimiter (``render_single_date``). Seasons arrive as EDTF's months 21–24, one per
date (``_parse_date``): "Spring–Summer 1999".
Imported (and so applied) by the package's ``__init__``; tested in
tests/unit/test_bib_dates.py against citeproc-js's output.
"""

from __future__ import annotations

from typing import Any

import citeproc
from citeproc.model import Date
from citeproc.source import DateRange, LiteralDate
from citeproc.source.json import CiteProcJSON

_ORDER = ("year", "month", "day")


def _value(date: Any, part: str) -> Any:
    """A date's part (the month: its season where it has none), None if missing."""
    if part == "month" and date.get("month") is None:
        return date.get("season")
    return date.get(part)


def _differing(begin: Any, end: Any) -> list[str]:
    """The parts from the largest that differs down: ["month", "day"] for March 1–April 2."""
    for index, part in enumerate(_ORDER):
        if _value(begin, part) != _value(end, part):
            return list(_ORDER[index:])
    return []


def _part_text(part: Any, date: Any, context: Any, drop: str = "") -> str:
    """One date-part of DATE rendered, without its suffix (``drop="suffix"``) or prefix."""
    try:
        text = part.render(date, context)
    except Exception:  # VariableError and the like: a part the date lacks
        return ""
    if text is None:
        return ""
    text = str(text)
    affix = part.get(drop, "") if drop else ""
    if affix and drop == "suffix" and text.endswith(affix):
        text = text[: -len(affix)]
    elif affix and drop == "prefix" and text.startswith(affix):
        text = text[len(affix):]
    return text


def render_date_range(self: Any, date_range: Any, show_parts: Any = None,
                      context: Any = None) -> Any:
    """citeproc-js's rendering of a date range in this date element (see the module)."""
    show = list(show_parts or _ORDER)
    begin, end = date_range.begin, date_range.get("end")
    if end is None or end.is_nil():
        text = self.render_single_date(begin, show, context)
        year = next((part for part in self.iterchildren() if part.get("name") == "year"), None)
        dash = self.unicode_character("EN DASH")
        open_end = dash if year is None else year.get("range-delimiter", dash)
        return None if text is None else str(text) + str(open_end)  # "2019–"
    differing = [part for part in _differing(begin, end) if part in show]
    if not differing:
        return self.render_single_date(begin, show, context)
    parts = [part for part in self.iterchildren() if part.get("name") in show
             and (_value(begin, part.get("name")) or _value(end, part.get("name")))]
    if not parts:
        return None
    names = [part.get("name") for part in parts]
    inside = [index for index, name in enumerate(names) if name in differing]
    differing_shown = [name for name in differing if name in names]
    if not inside or inside != list(range(inside[0], inside[-1] + 1)):
        return _whole_range(self, begin, end, show, context)
    first, last = inside[0], inside[-1]
    largest = next(part for part in parts if part.get("name") == differing_shown[0])
    delimiter = largest.get("range-delimiter", self.unicode_character("EN DASH"))
    joiner = str(self.get("delimiter", ""))  # a localized date's own (the style's has none)
    start = [_part_text(part, begin, context) for part in parts[:first]]
    start += [_part_text(part, begin, context, "suffix" if index == last else "")
              for index, part in enumerate(parts) if first <= index <= last]
    if parts[last].get("name") == "year":
        start[-1] = _without_era(parts[last], start[-1], begin, end, context)
    finish = [_part_text(part, end, context, "prefix" if index == first else "")
              for index, part in enumerate(parts) if first <= index <= last]
    finish += [_part_text(part, end, context) for part in parts[last + 1:]]
    return joiner.join(filter(None, start)) + str(delimiter) + joiner.join(filter(None, finish))


def _without_era(part: Any, text: str, begin: Any, end: Any, context: Any) -> str:
    """The start's year without its era when the end has the same ("50–40 BC")."""
    first, last = int(begin.get("year") or 0), int(end.get("year") or 0)
    if not ((first < 0 and last < 0) or 0 < first < last < 1000):
        return text
    digits = str(abs(first))
    at = text.find(digits)
    return text[:at + len(digits)] if at >= 0 else text


def _whole_range(self: Any, begin: Any, end: Any, show: list[str], context: Any) -> Any:
    """Both dates in full around an en dash, when the differing parts are not adjacent."""
    start = self.render_single_date(begin, list(show), context)
    finish = self.render_single_date(end, list(show), context)
    if start is None or finish is None:
        return start
    return str(start).rstrip() + self.unicode_character("EN DASH") + str(finish)


_original_process = Date.process


def _literal_with_its_year(self: Any, item: Any, variable: str | None = None,
                           show_parts: Any = None, context: Any = None, **kwargs: Any) -> Any:
    """A literal date prints where the date shows its year, as in citeproc-js: Chicago's
    newspaper date (``date-parts="month-day"``) printed "Spring 2019" a second time."""
    name = (variable or self.get("variable") or "").replace("-", "_")
    if isinstance(item.reference.get(name), LiteralDate) and not _shows_year(self, show_parts):
        return None
    return _original_process(self, item, variable, show_parts, context, **kwargs)


def _shows_year(element: Any, show_parts: Any) -> bool:
    if show_parts is not None:
        return "year" in show_parts
    if element.get("form") and not element.is_locale_date():
        return "year" in str(element.get("date-parts", "year-month-day"))
    return any(part.get("name") == "year" for part in element.iterchildren())


def render_single_date(self: Any, date: Any, show_parts: Any = None,
                       context: Any = None) -> Any:
    """A date's parts joined by the delimiter of the date that has them: a localized date
    by the locale's (citeproc-py took the style's cs:date's, which has none: "4May2019")."""
    parts = self.parts(date, show_parts, context) if context != self \
        else self.parts(date, show_parts)
    return self.join(parts) if parts else None


_original_parse_date = CiteProcJSON.parse_date


def _parse_date(self: Any, json_data: Any) -> Any:
    """citeproc-py's date, each end's season taken from its month 21–24 (EDTF's, the shape
    ``bib_dates`` gives every season): citeproc-py knew one season for the whole range."""
    date = _original_parse_date(self, json_data)
    for one in (date.begin, date.get("end")) if isinstance(date, DateRange) else (date,):
        if one is not None and not isinstance(one, LiteralDate) \
                and 21 <= int(one.get("month") or 0) <= 24:
            one["season"] = one.pop("month") - 20
    return date


CiteProcJSON.parse_date = _parse_date
Date.render_date_range = render_date_range
Date.render_single_date = render_single_date
Date.process = _literal_with_its_year
# CSL 1.0.2's available-date (Chicago prints it), a date citeproc-py 0.11 reads as text.
citeproc.DATES.append("available_date")
citeproc.VARIABLES.append("available_date")
