"""CSL-JSON field forms as Zotero and Better BibTeX export them, rendered as citeproc-js does.

Numeric ids, literal names, particles, suffixes, ``parse-names``, numbers as numbers, and
Zotero's "cheater syntax" in ``note`` (``original-date: 1900``). The expectation is
citeproc-js's (tools/oracle/render.js); it chokes on numbers where CSL wants text, so it is
given the text Zotero would export — which is what kzpublish makes of a number too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kzpublish import bibliography, citations, csl
from kzpublish.errors import CitationError
from kzpublish.reader import read
from tests.citeproc_js import Texts, citeproc_js, kzpublish
from tests.conftest import one_chapter_book

ITEMS: list[dict[str, Any]] = [
    {"id": 1, "type": "book", "title": "Numeric id",
     "author": [{"family": "Alpha", "given": "A."}], "issued": {"date-parts": [[2001]]}},
    {"id": "literal", "type": "book", "title": "Literal",
     "author": [{"literal": "United Nations"}], "issued": {"date-parts": [[2002]]}},
    {"id": "particles", "type": "book", "title": "Particles",
     "author": [{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
                {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"}],
     "issued": {"date-parts": [[2003]]}},
    {"id": "suffix", "type": "book", "title": "Suffix",
     "author": [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}],
     "issued": {"date-parts": [[2004]]}},
    {"id": "parse", "type": "book", "title": "Parse",
     "author": [{"family": "van Gogh", "given": "Vincent", "parse-names": True},
                {"family": "de la Fontaine", "given": "Jean", "parse-names": "true"},
                {"family": "Delta", "given": "D.", "static-ordering": False}],
     "issued": {"date-parts": [[2005]]}},
    {"id": "numbers", "type": "article-journal", "title": "Numbers", "container-title": "J",
     "volume": 12, "issue": "3", "page": 45, "number-of-pages": 300,
     "author": [{"family": "Beta", "given": "B."}], "issued": {"date-parts": [[2006]]}},
    {"id": "cheater", "type": "book", "title": "Cheater",
     "note": "original-date: 1900\nTranslated from the French.",
     "author": [{"family": "Gamma", "given": "G."}], "issued": {"date-parts": [[2007]]}},
]
STYLES = ("apa",)  # chicago-author-date: test_bib_dates (each style costs citeproc-js seconds)
NOTE_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout>
    <names variable="editor" suffix="; "/><date variable="original-date" suffix="; ">
    <date-part name="year"/></date><text variable="publisher" suffix="; "/>
    <text variable="DOI" suffix="; "/><text variable="volume" prefix="v. " suffix="; "/>
    <text variable="ISBN" suffix="; "/><text variable="note"/>
  </layout></citation>
</style>"""
"""Prints what a note's cheater syntax sets, and the note left."""


def _as_zotero(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its numbers as text, as Zotero exports them."""
    return {key: str(value) if isinstance(value, int) else value for key, value in item.items()}


@pytest.fixture(scope="module")
def note_style(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("style") / "notes.csl"
    path.write_text(NOTE_STYLE, encoding="utf-8")
    return str(path)


NOTES = [{"id": "notes", "type": "book", "title": "T", "publisher": "Own",
          "note": "original-date: 1900\neditor: Doe || Jane\npublisher: Other\n"
                  "Some words: not a field\nDOI: 10.1/x\nFree text\nvolume: 3\n\nISBN: 1"}]


@pytest.fixture(scope="module")
def expected(note_style: str) -> dict[str, Texts]:
    found = citeproc_js([*((style, [_as_zotero(item) for item in ITEMS]) for style in STYLES),
                         (note_style, NOTES)])
    return dict(zip([*STYLES, "notes"], found, strict=True))


@pytest.mark.parametrize("style", STYLES)
def test_field_forms_render_as_citeproc_js_renders_them(
        tmp_path: Path, expected: dict[str, Texts], style: str) -> None:
    assert kzpublish(style, ITEMS, tmp_path) == expected[style]


def test_the_notes_cheater_syntax_as_citeproc_js_reads_it(
        tmp_path: Path, expected: dict[str, Texts], note_style: str) -> None:
    assert kzpublish(note_style, NOTES, tmp_path)[0] == expected["notes"][0]


def test_no_warning_about_name_keys_citeproc_py_lacks(
        tmp_path: Path, recwarn: pytest.WarningsRecorder) -> None:
    kzpublish("apa", ITEMS, tmp_path)
    assert [str(warning.message) for warning in recwarn] == []


def test_numbers_become_text(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(ITEMS), encoding="utf-8")
    numbers = bibliography.load([path]).items[5]
    assert (numbers["volume"], numbers["page"], numbers["number-of-pages"]) == ("12", "45", "300")


def test_a_numeric_id_has_its_position(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(ITEMS[:2], indent=1), encoding="utf-8")
    positions = bibliography.load([path]).positions
    assert (positions["1"].line, positions["1"].col) == (3, 9)
    assert (positions["literal"].line, positions["literal"].col) == (21, 10)


def test_odd_values_render_or_stop_at_the_reference(tmp_path: Path) -> None:
    """A number in a name, categories, available-date: read, never an internal error."""
    odd = [{"id": "odd", "type": "book", "title": "T", "categories": ["x"],
            "author": [{"family": 1984, "given": "A"}],
            "available-date": {"date-parts": [[2020, 2]]}, "issued": {"date-parts": [[2001]]}}]
    cites, entries = kzpublish("chicago-author-date", odd, tmp_path)
    assert cites == {"odd": "(1984 2001)"}
    assert entries["odd"].startswith("1984, A. 2001. T.")


def test_a_reference_citeproc_py_cannot_render_is_an_error_at_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """citeproc-py stopping on one reference's data is an error at that reference's line."""
    config = one_chapter_book(tmp_path, "# T\n\nText [@fine; @odd].\n", csl="apa")
    references = [*ITEMS[:2], {"id": "fine", "type": "book", "title": "Fine"},
                  {"id": "odd", "type": "book", "title": "Odd", "medium": "crash me"}]
    (config.manuscript / "refs.json").write_text(json.dumps(references, indent=1),
                                                 encoding="utf-8")
    original = csl.Engine.render

    def render(self: csl.Engine, request: csl.ItemRequest, *args: Any) -> str:
        if request.key == "odd":  # as citeproc-py would stop on a value nobody foresaw
            raise TypeError("sequence item 0: expected str instance, int found")
        return original(self, request, *args)

    monkeypatch.setattr(csl.Engine, "render", render)
    with pytest.raises(CitationError) as caught:
        citations.resolve(read(config), config)
    assert [str(d).split(" — ")[0] for d in caught.value.diagnostics] == [
        f"{config.manuscript / 'refs.json'}:43:10: error: reference 'odd' cannot be rendered in "
        "this style (TypeError: sequence item 0: expected str instance, int found)"]
