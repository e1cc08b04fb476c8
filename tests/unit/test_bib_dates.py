"""Reference dates as Zotero, Better BibTeX and Pandoc write them, rendered as citeproc-js does.

Every date below goes through the bibliography loader (``bib_dates``) and the citeproc-py
engine (``csl.dates`` mends its ranges); the expectation is citeproc-js's rendering of the
same CSL-JSON (tools/oracle/render.js, one node process for the module), compared as text.
A plain-string date (Pandoc's ``issued: 2019-05-04``) is no CSL-JSON for citeproc-js, so
its expectation is that of the same date as ``raw``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kzpublish import bib_dates, bibliography
from kzpublish.errors import CitationError
from tests.citeproc_js import Texts, citeproc_js, kzpublish

DATES: dict[str, Any] = {
    "literal": {"literal": "Spring 2019"},
    "in-press": {"literal": "in press"},
    "raw-month": {"raw": "2019-03"},
    "raw-season": {"raw": "Spring 2019"},
    "raw-season-code": {"raw": "2019-22"},
    "raw-words": {"raw": "May 4, 2019"},
    "raw-day-first": {"raw": "4 May 2019"},
    "raw-circa": {"raw": "1900~"},
    "raw-bc": {"raw": "-0050"},
    "raw-range": {"raw": "2019-03/2019-05"},
    "raw-day-range": {"raw": "May 3-5, 2019"},
    "raw-unreadable": {"raw": "sometime"},
    "season": {"date-parts": [[2019]], "season": 1},
    "season-string": {"date-parts": [[2019]], "season": "3"},
    "season-month": {"date-parts": [[2019, 21]]},
    "bc": {"date-parts": [[-50]]},
    "bc-full": {"date-parts": [[-50, 3, 15]]},
    "bc-range": {"date-parts": [[-50], [-40]]},
    "ad": {"date-parts": [[79]]},
    "strings": {"date-parts": [["2019", "3", "04"]]},
    "circa": {"date-parts": [[1900]], "circa": True},
    "circa-number": {"date-parts": [[1900]], "circa": 1},
    "range-years": {"date-parts": [[2019, 3], [2020, 4]]},
    "range-months": {"date-parts": [[2019, 3], [2019, 4]]},
    "range-days": {"date-parts": [[2019, 3, 1], [2019, 3, 4]]},
    "range-across": {"date-parts": [[2019, 3, 30], [2019, 4, 2]]},
    "range-open": {"date-parts": [[2019], [0]]},
    "range-circa": {"date-parts": [[2019], [2021]], "circa": True},
    "range-seasons": {"date-parts": [["1999", "21"], ["1999", "22"]]},
    "range-seasons-years": {"date-parts": [[1999, 21], [2001, 22]]},
    "empty-literal": {"literal": ""},
}
STRINGS = {"iso": "2019-05-04", "edtf-range": "2019/2020", "edtf-season": "2019-21"}
"""Pandoc's string form: rendered as the same text given as ``raw``."""
STYLES = ("chicago-author-date", "apa")
TYPES = ("book", "article-newspaper")  # a year alone; the full date after the paper


def _items(dates: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    # A family name per date, so no two cites are alike and none gets a year suffix.
    return [{"id": key, "type": kind, "title": "Title", "container-title": "Paper",
             "author": [{"family": "Doe" + re.sub(r"\W", "", key.title()), "given": "J."}],
             "issued": date} for key, date in dates.items()]


def _as_raw() -> dict[str, Any]:
    return {**DATES, **{key: {"raw": text} for key, text in STRINGS.items()}}


RANGES_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>
  <locale><date form="text" delimiter=" ">
    <date-part name="day" range-delimiter=" to "/><date-part name="month"/>
    <date-part name="year" range-delimiter="/"/>
  </date></locale>
  <citation><layout><date variable="issued" form="text"/></layout></citation>
</style>"""
"""A localized date with a delimiter and a range-delimiter per part (day month year)."""


@pytest.fixture(scope="module")
def ranges_style(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("style") / "ranges.csl"
    path.write_text(RANGES_STYLE, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def expected(ranges_style: str) -> dict[tuple[str, str], Texts]:
    """(style, type) → citeproc-js's texts, from one node process."""
    cases = [(style, kind) for style in (*STYLES, ranges_style) for kind in TYPES]
    found = citeproc_js([(style, _items(_as_raw(), kind)) for style, kind in cases])
    return dict(zip(cases, found, strict=True))


def test_ranges_take_the_largest_parts_delimiter(
        tmp_path: Path, expected: dict[tuple[str, str], Texts], ranges_style: str) -> None:
    """ "1 to 4 March 2019", "30 March to 2 April 2019" (the day's), "2019/2020" (the
    year's), the parts apart by the localized date's delimiter."""
    dates = {key: date for key, date in {**DATES, **STRINGS}.items() if key != "empty-literal"}
    cites, _ = kzpublish(ranges_style, _items(dates, "book"), tmp_path)
    assert cites == {key: text for key, text in expected[ranges_style, "book"][0].items()
                     if key in dates}  # no date: citeproc-js prints an error text


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("style", STYLES)
def test_dates_render_as_citeproc_js_renders_them(
        tmp_path: Path, expected: dict[tuple[str, str], Texts], style: str, kind: str) -> None:
    cites, entries = kzpublish(style, _items({**DATES, **STRINGS}, kind), tmp_path)
    assert cites == expected[style, kind][0]
    assert entries == expected[style, kind][1]


@pytest.mark.parametrize(("written", "shape"), [
    ({"literal": "Spring 2019"}, {"literal": "Spring 2019"}),
    ({"raw": "Spring 2019"}, {"date-parts": [[2019, 21]]}),
    ({"date-parts": [["2019", "3"]]}, {"date-parts": [[2019, 3]]}),
    ({"date-parts": [[-50]]}, {"date-parts": [[-50]]}),
    ({"date-parts": [[2019, 13]]}, {"date-parts": [[2019, 21]]}),
    ({"date-parts": [[2019]], "season": "Autumn"}, {"date-parts": [[2019, 23]]}),
    ({"date-parts": [["1999", "21"], ["1999", "22"]]}, {"date-parts": [[1999, 21], [1999, 22]]}),
    ({"date-parts": [[1900]], "circa": "1"}, {"date-parts": [[1900]], "circa": True}),
    ({"date-parts": [[2019], [2019]], "season": 2}, {"date-parts": [[2019, 22]]}),
    ({"date-parts": [], "literal": "maybe around 2000bc"}, {"literal": "maybe around 2000bc"}),
    ("2019-05-04", {"date-parts": [[2019, 5, 4]]}),
    ("2019/2020", {"date-parts": [[2019], [2020]]}),
    ("2019-21", {"date-parts": [[2019, 21]]}),
    ("1900~", {"date-parts": [[1900]], "circa": True}),
    (2019, {"date-parts": [[2019]]}),
    ({"literal": ""}, {}),
    ({"edtf": "2019-05"}, {"date-parts": [[2019, 5]]}),
    # Zotero's access time in "season", as citeproc-js reads it: no season
    ({"date-parts": [["2013", 1, 30]], "season": "22:56:08"}, {"date-parts": [[2013, 1, 30]]}),
])
def test_every_spelling_becomes_one_shape(written: Any, shape: dict[str, Any]) -> None:
    assert bib_dates.normalise(written) == shape


@pytest.mark.parametrize("written", [
    {"date-parts": [[2019, 5, 40]]}, {"date-parts": [["spring"]]},
    {"date-parts": [[1], [2], [3]]},
    ["2019"], True,
])
def test_what_is_no_date_is_an_error_at_the_reference(tmp_path: Path, written: Any) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": "a", "type": "book", "title": "T",
                                 "issued": written}], indent=1), encoding="utf-8")
    with pytest.raises(CitationError) as caught:
        bibliography.load([path])
    assert [str(d).split(" — ")[0] for d in caught.value.diagnostics] == [
        f"{path}:3:10: error: reference 'a': malformed issued {written!r}"]


@pytest.mark.parametrize(("parts", "read", "note"), [
    ([1965, -1, 1], [1965], "month -1 is neither a month (1–12) nor a season (21–24): it is "
     "left out"),
    ([1965, 60], [1965], "month 60 is neither a month (1–12) nor a season (21–24): it is "
     "left out"),
    ([1965, 17, 1], [1965, 21], "month 17 read as a season (spring), as citeproc-js reads it"),
])
def test_an_odd_month_is_read_as_citeproc_js_reads_it_with_a_warning(
        tmp_path: Path, parts: list[int], read: list[int], note: str) -> None:
    """citeproc-js (the CSL suite's date_VariousInvalidDates) prints no month for -1 or 60
    and spring for 17; the author is told, and the rest of the date is kept."""
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": "a", "type": "book", "title": "T",
                                 "issued": {"date-parts": [parts]}}], indent=1),
                    encoding="utf-8")
    references = bibliography.load([path])
    assert references.items[0]["issued"] == {"date-parts": [read]}
    assert [str(d) for d in references.warnings] == [
        f"{path}:3:10: warning: reference 'a': issued {note} — write the month as 1–12, a "
        "season as 21–24"]


def test_an_empty_date_is_no_date(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": "a", "type": "book", "title": "T",
                                 "issued": {"literal": ""}}]), encoding="utf-8")
    assert "issued" not in bibliography.load([path]).items[0]


def test_a_yaml_date_is_a_date(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text("- id: a\n  type: book\n  title: T\n  issued: 2019-05-04\n"
                    "  accessed: 2020-01\n", encoding="utf-8")
    item = bibliography.load([path]).items[0]
    assert (item["issued"], item["accessed"]) == (
        {"date-parts": [[2019, 5, 4]]}, {"date-parts": [[2020, 1]]})
