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
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kzpublish import bib_dates, bibliography, csl
from kzpublish.errors import CitationError
from tests.oracle.harness import RENDER_JS, _node

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


def _text(html: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html or "")).replace("&amp;", "&").strip()


def _as_raw() -> dict[str, Any]:
    return {**DATES, **{key: {"raw": text} for key, text in STRINGS.items()}}


@pytest.fixture(scope="module")
def citeproc_js() -> dict[tuple[str, str], tuple[dict[str, str], dict[str, str]]]:
    """(style, type) → (citation text, entry text) by id, from one node process."""
    dates = _as_raw()
    jobs = [{"style_xml": csl.find_style(style, Path(".")).read_text(encoding="utf-8"),
             "lang": "en-US", "locales_dir": str(csl.LOCALES), "items": _items(dates, kind),
             "citations": [[{"id": key}] for key in dates], "output_format": "html"}
            for style in STYLES for kind in TYPES]
    result = subprocess.run([_node(), str(RENDER_JS)], input=json.dumps(jobs),
                            capture_output=True, text=True, timeout=300, check=True)
    found = {}
    for (style, kind), data in zip([(s, k) for s in STYLES for k in TYPES],
                                   json.loads(result.stdout), strict=True):
        cites = {key: _text(html) for key, html in zip(dates, data["citations"], strict=True)}
        entries = {entry["id"]: _text(entry["html"]) for entry in data["bibliography"]}
        found[style, kind] = cites, entries
    return found


def _kzpublish(tmp_path: Path, style: str, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    path = tmp_path / f"{style}-{kind}.json"
    path.write_text(json.dumps(_items({**DATES, **STRINGS}, kind)), encoding="utf-8")
    references = bibliography.load([path])
    engine = csl.Engine(csl.find_style(style, Path(".")), "en", references.items)
    keys = [str(item["id"]) for item in references.items]
    engine.register([csl.ItemRequest(key) for key in keys])
    layout = engine.layout
    cites = {key: _text(layout.prefix + engine.render(csl.ItemRequest(key)) + layout.suffix)
             for key in keys}
    return cites, {key: _text(html) for key, html in engine.entries(str.encode)}


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("style", STYLES)
def test_dates_render_as_citeproc_js_renders_them(
        tmp_path: Path, citeproc_js: Any, style: str, kind: str) -> None:
    expected_cites, expected_entries = citeproc_js[style, kind]
    cites, entries = _kzpublish(tmp_path, style, kind)
    assert cites == expected_cites
    assert entries == expected_entries


@pytest.mark.parametrize(("written", "shape"), [
    ({"literal": "Spring 2019"}, {"literal": "Spring 2019"}),
    ({"raw": "Spring 2019"}, {"date-parts": [[2019]], "season": 1}),
    ({"date-parts": [["2019", "3"]]}, {"date-parts": [[2019, 3]]}),
    ({"date-parts": [[-50]]}, {"date-parts": [[-50]]}),
    ({"date-parts": [[2019, 13]]}, {"date-parts": [[2019]], "season": 1}),
    ({"date-parts": [[1900]], "circa": "1"}, {"date-parts": [[1900]], "circa": True}),
    ({"date-parts": [[2019], [2019]], "season": 2}, {"date-parts": [[2019]], "season": 2}),
    ({"date-parts": [], "literal": "maybe around 2000bc"}, {"literal": "maybe around 2000bc"}),
    ("2019-05-04", {"date-parts": [[2019, 5, 4]]}),
    ("2019/2020", {"date-parts": [[2019], [2020]]}),
    ("2019-21", {"date-parts": [[2019]], "season": 1}),
    ("1900~", {"date-parts": [[1900]], "circa": True}),
    (2019, {"date-parts": [[2019]]}),
    ({"literal": ""}, {}),
])
def test_every_spelling_becomes_one_shape(written: Any, shape: dict[str, Any]) -> None:
    assert bib_dates.normalise(written) == shape


@pytest.mark.parametrize("written", [
    {"date-parts": [[2019, 5, 40]]}, {"date-parts": [["spring"]]},
    {"date-parts": [[2019]], "season": "monsoon"}, {"date-parts": [[1], [2], [3]]},
    {"date-parts": [[2019, 17]]}, ["2019"], True,
])
def test_what_is_no_date_is_an_error_at_the_reference(tmp_path: Path, written: Any) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": "a", "type": "book", "title": "T",
                                 "issued": written}], indent=1), encoding="utf-8")
    with pytest.raises(CitationError) as caught:
        bibliography.load([path])
    assert [str(d).split(" — ")[0] for d in caught.value.diagnostics] == [
        f"{path}:3:10: error: reference 'a': malformed issued {written!r}"]


def test_an_empty_date_is_no_date(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": "a", "type": "book", "title": "T",
                                 "issued": {"literal": ""}}]), encoding="utf-8")
    assert "issued" not in bibliography.load([path]).items[0]
