"""CSL cite grouping and collapse="year": outputs are citeproc-js's for the same cites."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kzpublish import citations, csl
from kzpublish.reader import read
from tests.conftest import one_chapter_book

BOOKS = [
    {"id": "doe1999", "type": "book", "title": "A", "issued": {"date-parts": [[1999]]},
     "author": [{"family": "Doe", "given": "Jane"}]},
    {"id": "smith2001", "type": "book", "title": "B", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Smith", "given": "Al"}]},
    {"id": "doe2005", "type": "book", "title": "C", "issued": {"date-parts": [[2005]]},
     "author": [{"family": "Doe", "given": "Jane"}]},
]
TEXT = "One [@doe1999; @smith2001; @doe2005, p. 4].\n\nTwo [@doe1999; @doe2005; @smith2001].\n"


def _citations(tmp_path: Path, style: str) -> list[str]:
    settings = one_chapter_book(tmp_path, TEXT, csl=style)
    (settings.manuscript / "refs.json").write_text(json.dumps(BOOKS), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>(?=[.<])', html)
    return [re.sub(r"<[^>]+>", "", span).replace("\u00a0", " ") for span in spans]


@pytest.mark.parametrize(("style", "expected"), [
    # no cs:sort: only cites that stand together are grouped
    ("chicago-author-date", ["(Doe 1999; Smith 2001; Doe 2005, 4)",
                             "(Doe 1999, 2005; Smith 2001)"]),
    # APA sorts the cites by author first, which brings Doe's together
    ("apa", ["(Doe, 1999, 2005, p. 4; Smith, 2001)", "(Doe, 1999, 2005; Smith, 2001)"]),
    # sorted, but no collapse: nothing grouped (the style's own locale says "с.")
    ("gost-r-7-0-5-2008", ["[Doe, 1999; Doe, 2005, с. 4; Smith, 2001]",
                           "[Doe, 1999; Doe, 2005; Smith, 2001]"]),
])
def test_cites_by_the_same_names_collapse(tmp_path: Path, style: str,
                                          expected: list[str]) -> None:
    assert _citations(tmp_path, style) == expected


# --- collapse="year-suffix", "year-suffix-ranged" and "citation-number" --------------------

def _book(family: str, year: int, title: str) -> dict[str, object]:
    return {"id": f"{family.lower()}{year}{title[0].lower()}", "type": "book", "title": title,
            "issued": {"date-parts": [[year]]}, "author": [{"family": family, "given": "X"}]}


SUFFIXED = [_book("Doe", 2000, title) for title in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")]
SUFFIXED += [_book("Smith", 2001, "Zeta"), _book("Roe", 2002, "Eta")]
A, B, C, D, E = (book["id"] for book in SUFFIXED[:5])
SMITH, ROE = SUFFIXED[5]["id"], SUFFIXED[6]["id"]


def _rendered(tmp_path: Path, style: str, language: str, clusters: list[str]) -> list[str]:
    """The citations as a reader sees them, one paragraph each (as citeproc-js is given
    them: one cluster each, in this order, the book's locale for every item)."""
    text = "".join(f"Claim {cluster} here.\n\n" for cluster in clusters)
    settings = one_chapter_book(tmp_path, text, csl=style, language=language,
                                entry_language="book")
    (settings.manuscript / "refs.json").write_text(json.dumps(SUFFIXED), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span> here', html)
    return [re.sub(r"<[^>]+>", "", span).replace("\u00a0", " ") for span in spans]


YEAR_SUFFIX_CLUSTERS = [
    f"[@{A}; @{B}]",
    f"[@{A}; @{B}; @{C}; @{SMITH}]",
    f"[@{A}; @{C}; @{D}; @{E}]",
    f"[@{A}; @{C}; @{E}]",
    f"[@{A}, p. 5; @{B}; @{C}; @{D}]",
    f"[@{A}; @{B}; @{C}; @{D}, p. 5]",
    f"[@{A}; @{B}; see @{C}; @{D}; @{E}]",
    f"[@{A}; @{B} suffix; @{C}; @{D}; @{E}]",
    f"[@{A}; @{A}; @{B}]",
]


@pytest.mark.parametrize(("style", "language", "expected"), [
    # year-suffix-ranged, year-suffix-delimiter ",", after-collapse-delimiter "; ": three or
    # more consecutive suffixes make a range; a locator ends the run before it and starts
    # none; "see" starts a new one; a non-consecutive suffix is joined by ", " unless it is
    # the run's last (citeproc-js's quirk: "2000a, c,e")
    ("annual-reviews-author-date", "en", [
        "(Doe 2000a,b)", "(Doe 2000a–c; Smith 2001)", "(Doe 2000a,c–e)", "(Doe 2000a, c,e)",
        "(Doe 2000a, p. 5,b–d)", "(Doe 2000a–c, d, p. 5)", "(Doe 2000a,b, see c–e)",
        "(Doe 2000a, b suffix, c–e)", "(Doe 2000a,a,b)"]),
    ("annual-reviews-author-date", "ru", [
        "(Doe 2000a,b)", "(Doe 2000a–c; Smith 2001)", "(Doe 2000a,c–e)", "(Doe 2000a, c,e)",
        "(Doe 2000a, с. 5,b–d)", "(Doe 2000a–c, d, с. 5)", "(Doe 2000a,b, see c–e)",
        "(Doe 2000a, b suffix, c–e)", "(Doe 2000a,a,b)"]),
    # a locator the style does not print breaks nothing
    ("who-europe-harvard", "en", [
        "(Doe, 2000a,b)", "(Doe, 2000a–c; Smith, 2001)", "(Doe, 2000a,c–e)",
        "(Doe, 2000a, c,e)", "(Doe, 2000a–d)", "(Doe, 2000a–d)", "(Doe, 2000a,b, see c–e)",
        "(Doe, 2000a, b suffix, c–e)", "(Doe, 2000a,a,b)"]),
])
def test_year_suffixes_collapse(tmp_path: Path, style: str, language: str,
                                expected: list[str]) -> None:
    assert _rendered(tmp_path, style, language, YEAR_SUFFIX_CLUSTERS) == expected


@pytest.mark.parametrize("language", ["en", "ru"])
def test_year_suffixes_collapse_unranged(tmp_path: Path, language: str) -> None:
    """collapse="year-suffix": no ranges; the year is printed again after "ibid."."""
    clusters = [f"[@{A}; @{B}; @{C}; @{D}]", f"[@{A}; @{A}; @{B}]"]
    ibid = "ibid." if language == "en" else "там же"
    assert _rendered(tmp_path, "ucl-university-college-harvard", language, clusters) == [
        "(Doe 2000a, b, c, d)", f"(Doe 2000a, {ibid}, 2000b)"]
    # suffixes follow this style's bibliography order, not the titles' (citeproc-js's too)
    assert _rendered(tmp_path / "h", "harvard-stellenbosch-university", language,
                     [f"[@{A}; @{C}; @{D}; @{E}]", f"[@{A}, p. 5; @{B}]"]) == [
        "(Doe, 2000a,b,c,d)", "(Doe, 2000a: 5,e)"]


NUMBERED = f"[@{A}; @{B}; @{C}; @{D}; @{E}; @{SMITH}; @{ROE}]"  # numbers 1–7 in this order
NUMERIC_CLUSTERS = [
    NUMBERED, f"[@{A}; @{B}]", f"[@{C}; @{A}; @{B}]", f"[@{A}; @{C}; @{D}; @{E}]",
    f"[@{A}, p. 5; @{B}; @{C}; @{D}]", f"[@{A}; @{B}; @{C}, p. 5]",
    f"[@{A}; see @{B}; @{C}; @{D}]", f"[@{A}; @{B} suffix; @{C}; @{D}; @{E}]",
    f"[@{A}; @{A}; @{B}]",
]


@pytest.mark.parametrize(("style", "language", "expected"), [
    # two consecutive numbers stay apart, three make a range; cites are sorted first
    ("american-medical-association", "en", [
        "1–7", "1,2", "1–3", "1,3–5", "1(p5),2–4", "1,2,3(p5)", "1,see 2–4", "1,2 suffix,3–5",
        "1,1,2"]),
    ("gost-r-7-0-5-2008-numeric", "ru", [
        "[1–7]", "[1,2]", "[1–3]", "[1,3–5]", "[1, с. 5,2–4]", "[1,2,3, с. 5]", "[1,see 2–4]",
        "[1,2 suffix,3–5]", "[1,1,2]"]),
    # no collapse attribute: nothing collapses
    ("ieee", "en", [
        "[1], [2], [3], [4], [5], [6], [7]", "[1], [2]", "[1], [2], [3]", "[1], [3], [4], [5]",
        "[1, p. 5], [2], [3], [4]", "[1], [2], [3, p. 5]", "[1], see [2], [3], [4]",
        "[1], [2] suffix, [3], [4], [5]", "[1], [1], [2]"]),
])
def test_citation_numbers_collapse(tmp_path: Path, style: str, language: str,
                                   expected: list[str]) -> None:
    assert _rendered(tmp_path, style, language, NUMERIC_CLUSTERS) == expected


def test_citation_numbers_collapse_with_their_brackets(tmp_path: Path) -> None:
    """IEEE as citeproc-js's own copy has it (collapse="citation-number", the brackets
    inside each cite): the range keeps both ends' brackets."""
    ieee = Path(csl.find_style("ieee", tmp_path)).read_text(encoding="utf-8")
    (tmp_path / "csl").mkdir()
    (tmp_path / "csl" / "ieee-ranged.csl").write_text(
        ieee.replace("<citation>", '<citation collapse="citation-number">'), encoding="utf-8")
    assert _rendered(tmp_path, "ieee-ranged", "en", NUMERIC_CLUSTERS[:5]) == [
        "[1]–[7]", "[1], [2]", "[1]–[3]", "[1], [3]–[5]", "[1, p. 5], [2]–[4]"]


# --- cites sorted by date: a year with a suffix is still its year --------------------------

DATED = [
    {**_book("Doe", 2001, "Gamma"), "id": "gamma"}, {**_book("Doe", 2000, "Zulu"), "id": "zulu"},
    {**_book("Doe", 2000, "Alpha"), "id": "alpha"},
    {**_book("Doe", 2000, "Mid"), "id": "mid", "issued": {"date-parts": [[2000, 5]]}},
    {**_book("Roe", 1999, "Eta"), "id": "eta"},
]


@pytest.mark.parametrize(("style", "expected"), [
    # cs:sort keys: author, then a macro printing the issued year (date-part year only, so
    # May 2000 ties with 2000; ties keep the order written, as citeproc-js's do)
    ("annual-reviews-author-date", ["(Doe 2000a,b, 2001)", "(Doe 2000c,a,b, 2001; Roe 1999)",
                                    "(Doe 2000b,a)"]),
    # the year macro is the first key
    ("harvard-stellenbosch-university", ["(Doe, 2000a,b, 2001)",
                                         "(Roe, 1999; Doe, 2000c,a,b, 2001)", "(Doe, 2000b,a)"]),
])
def test_cites_sort_by_year_not_by_suffixed_text(tmp_path: Path, style: str,
                                                 expected: list[str]) -> None:
    """citeproc-js sorts a date in a sort key as a number, its year suffix no part of it:
    2000a, 2000b before 2001, in the citations and in the bibliography."""
    text = "".join(f"Claim {cluster} here.\n\n" for cluster in (
        "[@gamma; @zulu; @alpha]", "[@gamma; @mid; @zulu; @alpha; @eta]", "[@alpha; @zulu]"))
    settings = one_chapter_book(tmp_path, text, csl=style, language="en", entry_language="book")
    (settings.manuscript / "refs.json").write_text(json.dumps(DATED), encoding="utf-8")
    book = citations.resolve(read(settings), settings)
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span> here', book.chapters[0].html)
    assert [re.sub(r"<[^>]+>", "", span).replace("\u00a0", " ") for span in spans] == expected
    assert list(book.reference_ids) == ["zulu", "alpha", "mid", "gamma", "eta"]


# --- styles outside the oracle's six (kzpublish issue 7) -----------------------------------

@pytest.mark.parametrize(("style", "expected"), [
    # the year is a localized date (form="numeric", date-parts="year"): it renders through
    # the locale's date, and its year suffix is added once ("2000a", not "2000aa")
    ("australasian-journal-of-philosophy", ["(Doe 2000a; b)", "(Doe 2000a–c; Smith 2001)",
                                            "(Doe 2000a: 5; b)", "(Doe 2000d)"]),
    # year suffixes follow the bibliography's order (its sort keys put Epsilon before Gamma)
    ("errata", ["(DOE, 2000a, b)", "(DOE, 2000a, b, d; SMITH, 2001)", "(DOE, 2000a, p. 5, b)",
                "(DOE, 2000c)"]),
])
def test_year_suffix_of_a_localized_date_prints_once(tmp_path: Path, style: str,
                                                      expected: list[str]) -> None:
    """Expectations are citeproc-js's output for the same clusters (tools/oracle/render.js)."""
    clusters = [f"[@{A}; @{B}]", f"[@{A}; @{B}; @{C}; @{SMITH}]", f"[@{A}, p. 5; @{B}]",
                f"[@{E}]"]
    assert _rendered(tmp_path, style, "en", clusters) == expected


def test_empty_cite_group_delimiter_is_the_default(tmp_path: Path) -> None:
    """urban-geography sets cite-group-delimiter="": citeproc-js takes that as unset and
    joins a group's cites by the default ", " (not the layout's "; "). Expectations are
    citeproc-js's output for the same clusters."""
    clusters = [f"[@{A}; @{B}; @{SMITH}]", f"[@{A}, p. 5; @{B}; @{C}]", f"[@{SMITH}; @{ROE}]"]
    assert _rendered(tmp_path, "urban-geography", "en", clusters) == [
        "(Doe, 2000a, 2000b; Smith, 2001)", "(Doe, 2000a, 5, 2000b, 2000c)",
        "(Smith, 2001; Roe, 2002)"]


LOCATED_CLUSTERS = [
    f"[@{A}; @{B}, p. 5; @{C}; @{D}]", f"[@{A}, p. 5; @{B}, p. 6; @{C}]", f"[@{A}, p. 5; @{B}]",
    f"[@{A}; @{B}, p. iv; @{C}]", f"[@{A}; see @{B}, p. 5; @{C}]", f"[@{A}; @{B}, p. 5; see @{C}]",
    f"[@{A}, p. 5; @{SMITH}]", f"[@{SMITH}; @{ROE}]",
]


@pytest.mark.parametrize(("style", "expected"), [
    # the locator stands outside the group of the year: a cite printing only "b: 5" is text
    # to citeproc-js, so the next suffix stands apart (", c"); after the names and year a
    # locator of digits is a number the next suffix follows (",b"), "iv" is not
    ("harvard-stellenbosch-university", [
        "(Doe, 2000a, b: 5, c,d)", "(Doe, 2000a: 5, b: 6, c)", "(Doe, 2000a: 5,b)",
        "(Doe, 2000a, b: iv, c)", "(Doe, 2000a, see b: 5,c)", "(Doe, 2000a, b: 5, see c)",
        "(Doe, 2000a: 5; Smith, 2001)", "(Smith, 2001; Roe, 2002)"]),
    # the label stands between suffix and locator ("b, p. 5"): the locator stays a number;
    # after-collapse-delimiter "; " follows a cite given a locator and parts single cites
    ("annual-reviews-author-date", [
        "(Doe 2000a, b, p. 5,c,d)", "(Doe 2000a, p. 5; b, p. 6,c)", "(Doe 2000a, p. 5,b)",
        "(Doe 2000a, b, p. iv; c)", "(Doe 2000a, see b, p. 5,c)", "(Doe 2000a, b, p. 5; see c)",
        "(Doe 2000a, p. 5; Smith 2001)", "(Roe 2002; Smith 2001)"]),
])
def test_delimiters_after_a_locator(tmp_path: Path, style: str, expected: list[str]) -> None:
    """The delimiter after a cite with a locator, and between cites under an
    after-collapse-delimiter, as citeproc-js chooses them (``getSpliceDelimiter`` and its
    number runs). Expectations are citeproc-js's output for the same clusters."""
    assert _rendered(tmp_path, style, "en", LOCATED_CLUSTERS) == expected


def test_numbers_after_a_locator(tmp_path: Path) -> None:
    """collapse="citation-number" with after-collapse-delimiter "; " (IET): it follows a
    cite given a locator unless that locator is a number the next cite's follows ("2 p. 5,
    3"). Expectations are citeproc-js's output for the same clusters."""
    clusters = [NUMBERED, f"[@{A}; @{B}, p. 5; @{C}]", f"[@{A}, p. 5; @{B}, p. 6; @{C}]",
                f"[@{A}; @{B}, p. iv; @{C}]", f"[@{A}; @{B}, p. 5 suffix; @{C}]"]
    assert _rendered(tmp_path, "the-institution-of-engineering-and-technology", "en",
                     clusters) == ["[1–7]", "[1, 2 p. 5, 3]", "[1 p. 5; 2 p. 6, 3]",
                                   "[1, 2 p. iv; 3]", "[1, 2 p. 5 suffix; 3]"]


# --- a minimal style: delimiters of a note style, cites that print nothing ------------------

MINIMAL = """<style xmlns="http://purl.org/net/xbiblio/csl" class="{style_class}" version="1.0">
  <info><id>minimal</id><title>Minimal</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation collapse="year-suffix" disambiguate-add-year-suffix="true" year-suffix-delimiter=",">
    <sort><key variable="issued"/></sort>
    <layout prefix="(" suffix=")" delimiter=";">
      <group delimiter=" ">
        <names variable="author"><name form="short"/></names>
        <date variable="issued"><date-part name="year"/></date>
      </group>
      <text variable="year-suffix"/>
    </layout>
  </citation>
</style>"""
MINIMAL_ITEMS = [
    {"id": "a", "type": "book", "title": "Alpha", "issued": {"date-parts": [[2000]]},
     "author": [{"family": "Doe", "given": "X"}]},
    {"id": "b", "type": "book", "title": "Beta", "issued": {"date-parts": [[2000]]},
     "author": [{"family": "Doe", "given": "X"}]},
    {"id": "c", "type": "book", "title": "Gamma", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Doe", "given": "X"}]},
    {"id": "n", "type": "book", "title": "Undated", "author": [{"family": "Doe", "given": "X"}]},
    {"id": "s", "type": "book", "title": "Zeta", "issued": {"date-parts": [[1999]]},
     "author": [{"family": "Smith", "given": "X"}]},
]


def _minimal(tmp_path: Path, style_class: str, clusters: list[str]) -> list[str]:
    """The citations of CLUSTERS (one paragraph each) in the minimal style of STYLE_CLASS."""
    style = tmp_path / "minimal.csl"
    style.write_text(MINIMAL.format(style_class=style_class), encoding="utf-8")
    text = "".join(f"Claim {cluster} here.\n\n" for cluster in clusters)
    settings = one_chapter_book(tmp_path, text, csl=str(style), entry_language="book")
    (settings.manuscript / "refs.json").write_text(json.dumps(MINIMAL_ITEMS), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>(?= here|</p>)', html)
    return [re.sub(r"<[^>]+>", "", span) for span in spans]  # a note style's: in its notes


@pytest.mark.parametrize(("style_class", "expected"), [
    # a note style joins a collapsed group's later cites by its layout delimiter
    ("note", ["(Doe 2000a,b;2001)", "(Doe 2000a;2001)"]),
    # an in-text style by ", " (citeproc-js's ``getSpliceDelimiter``)
    ("in-text", ["(Doe 2000a,b, 2001)", "(Doe 2000a, 2001)"]),
])
def test_collapsed_cites_are_joined_by_the_class_delimiter(
        tmp_path: Path, style_class: str, expected: list[str]) -> None:
    """Without cite-group-delimiter or after-collapse-delimiter. The undated work's cite,
    its names dropped, prints nothing and brings no delimiter. Expectations are
    citeproc-js's output for the same clusters."""
    assert _minimal(tmp_path, style_class, ["[@a; @b; @c]", "[@a; @c; @n]"]) == expected


# --- the names a cite prints alone, asked again and again -----------------------------------

POSITIONAL = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>p</id><title>P</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author"><choose>
    <if position="first"><names variable="author"><name/></names></if>
    <else><names variable="author"><name form="short"/></names></else>
  </choose></macro>
  <citation><layout><text macro="author"/></layout></citation>
</style>"""


def _counting(engine: csl.Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times ENGINE renders a cite, from now on."""
    calls = [0]
    render = engine.render

    def counted(*args: object, **kwargs: object) -> str:
        calls[0] += 1
        return render(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(engine, "render", counted)
    return calls


def test_names_alone_render_once_unless_they_ask_a_position(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """APA's names do not depend on the cites before: rendered once however often asked.
    A style whose names do ("Jane Doe" first, "Doe" after) renders them every time."""
    doe = [{"id": "doe", "type": "book", "title": "T", "author": [{"family": "Doe",
                                                                   "given": "Jane"}]}]
    engine = csl.Engine(csl.find_style("apa", tmp_path), "en", doe)
    engine.register([csl.ItemRequest("doe")])
    engine.disambiguate()
    calls = _counting(engine, monkeypatch)
    assert [engine.names_alone("doe") for _ in range(3)] == ["Doe"] * 3
    assert calls == [1]
    style = tmp_path / "positional.csl"
    style.write_text(POSITIONAL, encoding="utf-8")
    engine = csl.Engine(style, "en", doe)
    engine.register([csl.ItemRequest("doe")])
    engine.disambiguate()
    calls = _counting(engine, monkeypatch)
    first = engine.names_alone("doe")
    engine.render(csl.ItemRequest("doe"))  # the first cite
    assert (first, engine.names_alone("doe"), calls) == ("Jane Doe", "Doe", [3])
