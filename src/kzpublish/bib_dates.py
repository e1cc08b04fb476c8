"""Reference dates in every spelling Zotero, Better BibTeX and Pandoc write, as CSL-JSON.

CSL-JSON allows a date as ``date-parts`` (numbers or numeric strings, a negative year
BC, a month 13–16 or 21–24 for a season), with ``season`` and ``circa`` beside them, as
``literal`` text, or as ``raw`` text for the processor to parse; Pandoc's YAML and
Better BibTeX write a plain string (ISO 8601 / EDTF: ``2019-05-04``, ``2019/2020``,
``2019-21`` for spring, ``1900~`` for circa). citeproc-py reads only whole numbers in
``date-parts``, so every form becomes one shape here — numbers in ``date-parts``, a
season as EDTF's month 21–24 in the date it belongs to (each end of a range its own;
``csl.dates`` reads it), ``circa`` true — or a ``literal``. What the parts mean follows citeproc-js
(the reference; tests/unit/test_bib_dates.py asks it): a ``raw`` or string date it
cannot read is printed as written, like a literal.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}
MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_ISO = re.compile(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YEARS = re.compile(r"(-?\d{1,4})-(\d{4})")
_DAYS = re.compile(r"([^\W\d_]+\.?)\s+(\d{1,2})\s*[-–]\s*(\d{1,2}),?\s+(-?\d{1,4})")
_WORD = re.compile(r"[^\W\d_]+\.?|-?\d+")


def normalise(value: Any, notes: list[str] | None = None) -> dict[str, Any] | None:
    """VALUE (any CSL-JSON, Pandoc or EDTF date) as ``{"date-parts": …}`` or
    ``{"literal": …}``, with ``circa`` where it applies; ``{}`` for an
    empty date (the reference has none), None when VALUE is not a date at all.

    With NOTES, a month in ``date-parts`` that is neither a month nor a season is read
    as citeproc-js reads it (``_odd_month``) and what was made of it is added to NOTES
    for a warning; without, such a date is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.date):  # YAML's unquoted 2019-05-04
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int | str):
        return _from_text(str(value))
    if isinstance(value, list):  # Pandoc's old YAML form: [{year: 2019, month: 5}]
        if value and all(isinstance(part, dict) for part in value):
            return _from_parts([[part.get(k) for k in ("year", "month", "day") if k in part]
                                for part in value], None, False)
        return None
    if not isinstance(value, dict):
        return None
    circa = value.get("circa") not in (None, False, 0, "", "0", "false")
    parts = value.get("date-parts")
    if parts not in (None, [], [[]]):
        return _from_parts(parts, value.get("season"), circa, notes)
    for key in ("raw", "edtf", "literal"):
        text = value.get(key)
        if isinstance(text, str | int) and str(text).strip():
            found = _from_text(str(text)) if key != "literal" else {"literal": str(text).strip()}
            return _circa(found, circa) if found is not None else None
    # Empty date-parts say there is no date (other keys beside them are ignored, as
    # citeproc-js ignores them); a dict without any date key is no date form at all.
    known = {"date-parts", "raw", "edtf", "literal", "circa", "season"}
    return {} if "date-parts" in value or set(value) <= known else None


def _circa(date: dict[str, Any], circa: bool) -> dict[str, Any]:
    return {**date, "circa": True} if circa else date


def _from_parts(parts: Any, season: Any, circa: bool,
                notes: list[str] | None = None) -> dict[str, Any] | None:
    """``date-parts`` with whole numbers, a season as the month EDTF gives it (21 spring … 24
    winter) whatever its spelling, and a range whose two ends are the same as one date;
    an odd month read as ``_odd_month`` says when there are NOTES to tell."""
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        return None
    numbers = [_numbers(part) for part in parts]
    if any(found is None for found in numbers):
        return None
    if not numbers[0]:
        return {}  # [["", ""]]: no date
    dates: list[list[int]] = [found for found in numbers if found is not None]
    if dates[0] == [0]:
        return {}  # year 0 alone: no date, as citeproc-js prints none
    if len(dates) == 2 and not dates[1]:
        dates = [dates[0], [0]]
    season = _season(season)  # no season: Zotero writes an access time there ("22:56:08")
    if notes is not None:
        for one in dates:
            if len(one) >= 2 and not (1 <= one[1] <= 16 or 21 <= one[1] <= 24):
                notes.append(_odd_month(one))
    for one in dates:
        if len(one) >= 2 and one[1] > 12:
            one[1:] = [20 + (_season(one[1]) or 100)]  # its season, the EDTF way
        elif len(one) == 1 and season is not None:
            one.append(20 + season)  # the date's season, of every end
    if any(len(one) >= 2 and not (1 <= one[1] <= 12 or 21 <= one[1] <= 24) for one in dates):
        return None
    if len(dates) == 2 and dates[1] == dates[0]:
        dates = dates[:1]
    return _circa({"date-parts": dates}, circa)


def _odd_month(date: list[int]) -> str:
    """Read DATE's month, neither a month (1–12) nor a season (13–16, 21–24), as
    citeproc-js reads it: 17–20 are seasons as 13–16 are, any other month is none (the
    date keeps its year, and no day without a month). What was made of it, for a warning.
    """
    month = date[1]
    if 17 <= month <= 20:
        date[1:] = [21 + (month - 17)]
        name = ("spring", "summer", "autumn", "winter")[month - 17]
        return f"month {month} read as a season ({name}), as citeproc-js reads it"
    date[1:] = []
    return f"month {month} is neither a month (1–12) nor a season (21–24): it is left out"


def _numbers(part: Any) -> list[int] | None:
    """One date's [year, month, day] as whole numbers; trailing zero or empty parts (no
    month, no day: ``["2000", "", ""]``) left out. None if a part is no number."""
    if not isinstance(part, list) or len(part) > 3:
        return None
    if any(isinstance(number, bool) for number in part):
        return None
    while part and part[-1] in ("", None):
        part = part[:-1]
    try:
        numbers = [int(float(number)) for number in part]
    except (TypeError, ValueError):
        return None
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    if len(numbers) == 3 and not 1 <= numbers[2] <= 31:
        return None
    return numbers


def _season(value: Any) -> int | None:
    """A season 1–4 from its number, its EDTF month (21–24), its old month (13–16) or its
    English name; None for anything else."""
    if isinstance(value, str) and value.strip().lower() in SEASONS:
        return SEASONS[value.strip().lower()]
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    for first in (1, 13, 21):
        if first <= number <= first + 3:
            return number - first + 1
    return None


def _from_text(text: str) -> dict[str, Any]:
    """A written date (ISO 8601/EDTF, "May 4, 2019", "Spring 2019", "50 BC", ranges with
    "/"), or the text itself as a literal when it reads as none of them."""
    text = text.strip()
    circa = text.endswith(("~", "?"))
    if circa or text.endswith("%"):
        text = text[:-1].rstrip()
    if text.lower().startswith("circa "):
        circa, text = True, text[6:].strip()
    parts = _parts_of(text)
    if parts is None:
        return {"literal": text}
    found = _from_parts(parts, None, circa)
    return found if found is not None else {"literal": text}


def _parts_of(text: str) -> list[list[int]] | None:
    if match := _US.fullmatch(text):
        return [[int(match[3]), int(match[1]), int(match[2])]]
    if match := _YEARS.fullmatch(text):
        return [[int(match[1])], [int(match[2])]]
    if "/" in text:
        begin, _, end = text.partition("/")
        first = _one_date(begin.strip())
        if end.strip() in ("", ".."):
            return [first] if first else None
        last = _one_date(end.strip())
        return [first, last] if first and last else None
    date = _one_date(text)
    return [date] if date else _text_range(text)


def _one_date(text: str) -> list[int] | None:
    if match := _ISO.fullmatch(text):
        return [int(n) for n in match.groups() if n is not None]
    return _words_date(text)


def _words_date(text: str) -> list[int] | None:
    """ "May 4, 2019", "4 May 2019", "Spring 2019", "March 2019", "50 BC" → date-parts;
    None unless every word is a month, a season, a day, a year or an era."""
    year = month = day = None
    era = 1
    for word in _WORD.findall(text.replace(",", " ")):
        name = word.lower().rstrip(".")
        if name in MONTHS or name in SEASONS:
            month = MONTHS.get(name) or 20 + SEASONS[name]
        elif name in ("bc", "bce"):
            era = -1
        elif name in ("ad", "ce"):
            continue
        elif word.isdigit() and len(word) <= 2 and day is None and year is None:
            day = int(word)
        elif word.lstrip("-").isdigit() and year is None:
            year = int(word)
        else:
            return None
    if year is None and day is not None and month is None:
        year, day = day, None  # "50 BC": a short number alone is a year
    if year is None:
        return None
    parts = [year * era] + ([month] if month else []) + ([day] if month and day else [])
    return parts


def _text_range(text: str) -> list[list[int]] | None:
    """ "May 3-5, 2019" and "May 3 - June 5, 2019": a range written in words."""
    if match := _DAYS.fullmatch(text):
        begin = _words_date(f"{match[1]} {match[2]} {match[4]}")
        return [begin, [*begin[:2], int(match[3])]] if begin and len(begin) == 3 else None
    match = re.fullmatch(r"(.+?)\s*[-–]\s*(.+)", text)
    end = _words_date(match[2]) if match else None
    begin = (_words_date(match[1]) or _words_date(f"{match[1]} {end[0]}")) if match and end \
        else None
    return [begin, end] if begin and end else None
