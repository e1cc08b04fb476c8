"""CSL positions (ibid, subsequent) as the Engine reports them to note styles (OSCOLA), and
``first-reference-note-number``: the note an item was first cited in.

Expected texts are citeproc-js's (tools/oracle/render.js) for the same cites with the same
noteIndex, without the layout's closing period (``render`` leaves the layout's affixes to
the citations stage).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import csl

REPO = Path(__file__).resolve().parents[2]
BOOKS = [
    {"id": "a", "type": "book", "title": "Alpha", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Adams", "given": "Ann"}], "publisher": "Press"},
    {"id": "b", "type": "book", "title": "Beta", "issued": {"date-parts": [[2002]]},
     "author": [{"family": "Brown", "given": "Bob"}], "publisher": "Press"},
]
SAME_AUTHOR = [*BOOKS, {"id": "g", "type": "book", "title": "Gamma", "issued": {
    "date-parts": [[2003]]}, "author": [{"family": "Brown", "given": "Bob"}], "publisher": "Press"}]
"""Brown's Beta and Gamma: their short cites read alike but for the note number."""


def _engine(style: str = "oscola", first_notes: dict[str, int] | None = None,
            books: list[dict[str, object]] = BOOKS) -> csl.Engine:
    engine = csl.Engine(csl.find_style(style, REPO), "en", books)
    engine.register([csl.ItemRequest(str(book["id"])) for book in books])
    engine.disambiguate(first_notes)
    return engine


def _cite(engine: csl.Engine, *keys: str, note: int | None = None, locator: str = "") -> list[str]:
    cluster = engine.cluster(note)
    return [engine.render(csl.ItemRequest(key, locator), cluster) for key in keys]


def test_the_same_source_again_is_ibid() -> None:
    engine = _engine()
    _cite(engine, "b")
    assert _cite(engine, "b") == ["ibid"]


def test_after_a_citation_of_several_sources_it_is_not_ibid() -> None:
    """CSL 1.0.2: ibid needs the preceding citation to hold that one cite alone."""
    engine = _engine()
    _cite(engine, "a", "b")
    [subsequent] = _cite(engine, "b")
    assert subsequent.startswith("Brown") and "ibid" not in subsequent  # citeproc-js: Brown (n 1)


def test_an_authors_name_in_the_text_is_not_a_cite() -> None:
    engine = _engine()
    _cite(engine, "a")
    engine.render(csl.ItemRequest("b", names=csl.NamesMode.ONLY))
    assert _cite(engine, "a") == ["ibid"]


def test_chicago_17th_repeats_a_source_by_author_and_page() -> None:
    """CMOS 17's consecutive note: "Adams, 12." — the style's ibid branch prints the title
    only where no name stands for the work (cs:if variable="author"). citeproc-js reads the
    author as given even though it substituted for a composer (cs:substitute); pandoc 2.17
    (Haskell citeproc 0.6) takes a substituted variable for empty in later tests and prints
    "Adams, Alpha, 12.". The same style file, citeproc-js's reading."""
    engine = _engine("chicago-notes-bibliography-17th-edition")
    _cite(engine, "a", note=1)
    assert _cite(engine, "a", note=2, locator="12") == ["Adams, 12"]
    _cite(engine, "b", note=3)
    assert _cite(engine, "a", note=4, locator="14") == ["Adams, <i>Alpha</i>, 14"]


# --- first-reference-note-number ----------------------------------------------------------

def test_a_later_cite_names_the_note_of_the_first() -> None:
    engine = _engine()
    _cite(engine, "b", note=1)
    _cite(engine, "a", note=2)
    assert _cite(engine, "b", note=3) == ["Brown (n 1)"]
    assert _cite(engine, "a", note=3) == ["Adams (n 2)"]
    assert _cite(engine, "b", note=5, locator="12") == ["Brown (n 1) 12"]


def test_no_note_number_within_the_note_of_the_first_cite() -> None:
    engine = _engine()
    _cite(engine, "b", note=1)
    _cite(engine, "a", note=1)
    assert _cite(engine, "b", note=1) == ["Brown"]  # citeproc-js: "Brown."
    assert _cite(engine, "a", "b", note=4) == ["Adams (n 1)", "Brown (n 1)"]


def test_a_cite_in_no_note_has_no_note_number() -> None:
    """Without note numbers (an in-text rendering) there is nothing to refer to."""
    engine = _engine()
    _cite(engine, "b")
    _cite(engine, "a")
    assert _cite(engine, "b") == ["Brown"]


def test_an_authors_name_in_the_text_is_not_the_first_cite() -> None:
    engine = _engine()
    engine.render(csl.ItemRequest("b", names=csl.NamesMode.ONLY))
    assert _cite(engine, "b", note=2) == ["Bob Brown, <i>Beta</i> (Press 2002)"]
    _cite(engine, "a", note=3)
    assert _cite(engine, "b", note=4) == ["Brown (n 2)"]


def test_another_note_style_prints_it_its_own_way() -> None:
    engine = _engine("mcgill-en")
    _cite(engine, "b", note=1)
    _cite(engine, "a", note=2)
    assert _cite(engine, "b", note=3) == ["Brown, <i>supra</i> note 1"]
    assert _cite(engine, "a", note=3) == ["Adams, <i>supra</i> note 2"]
    assert _cite(engine, "b", note=5, locator="12") == ["Brown, <i>supra</i> note 1 at 12"]


def test_the_note_number_tells_the_same_authors_works_apart() -> None:
    """citeproc-js compares short cites with their note numbers (by-cite given-name rule):
    "Brown (n 1)" and "Brown (n 2)" differ, so neither gets its title."""
    engine = _engine(first_notes={"b": 1, "g": 2}, books=SAME_AUTHOR)
    _cite(engine, "b", note=1)
    _cite(engine, "g", note=2)
    assert _cite(engine, "b", note=3) == ["Brown (n 1)"]
    assert _cite(engine, "g", note=4, locator="5") == ["Brown (n 2) 5"]


def test_works_first_cited_in_one_note_keep_their_titles() -> None:
    engine = _engine(first_notes={"b": 1, "g": 1}, books=SAME_AUTHOR)
    _cite(engine, "b", "g", note=1)
    assert _cite(engine, "b", note=2) == ["Brown, <i>Beta</i> (n 1)"]
    assert _cite(engine, "g", note=3) == ["Brown, <i>Gamma</i> (n 1)"]


def test_the_variable_is_off_the_reference_after_the_cite() -> None:
    """It belongs to one cite: the bibliography and the next first cite never see it."""
    engine = _engine()
    _cite(engine, "b", note=1)
    _cite(engine, "b", note=2)
    assert "first_reference_note_number" not in engine.source["b"]


def _note_style(tmp_path: Path, citation: str) -> csl.Engine:
    path = tmp_path / "notes.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <locale><terms><term name="first-reference-note-number" form="short">
    <single>note</single><multiple>notes</multiple></term></terms></locale>
  <citation><layout><group delimiter=" "><names variable="author"><name form="short"/></names>
    <choose><if position="first"><text variable="title" prefix="* "/></if>
      <else-if variable="first-reference-note-number">
        <group delimiter=" " prefix="(" suffix=")">
          <label variable="first-reference-note-number" form="short"/>{citation}</group>
      </else-if>
      <else><text variable="title"/></else></choose></group></layout></citation>
</style>""", encoding="utf-8")
    engine = csl.Engine(path, "en", BOOKS)
    engine.register([csl.ItemRequest(book["id"]) for book in BOOKS])
    return engine


@pytest.mark.parametrize("number", ['<text variable="first-reference-note-number"/>',
                                    '<number variable="first-reference-note-number"/>'])
def test_the_variable_in_text_number_label_and_condition(tmp_path: Path, number: str) -> None:
    """cs:text, cs:label and ``cs:if variable`` as citeproc-js renders them. (citeproc-js
    leaves a cs:number of this variable empty — it reads cs:number from the reference
    only — where CSL 1.0.2 lists it among number variables; we print the number.)"""
    engine = _note_style(tmp_path, number)
    assert _cite(engine, "b", note=1) == ["Brown * Beta"]
    _cite(engine, "a", note=2)
    assert _cite(engine, "b", note=2) == ["Brown (note 1)"]
    assert _cite(engine, "b", note=3) == ["Brown (note 1)"]
    assert _cite(engine, "a", note=12) == ["Adams (note 2)"]


# --- ibid across notes ------------------------------------------------------------------------

def test_no_ibid_across_a_note_without_the_source() -> None:
    """Note 2 (the author's, citing nothing) stands between: "ibid" would point at it."""
    engine = _engine()
    _cite(engine, "b", note=1)
    assert _cite(engine, "b", note=3) == ["Brown (n 1)"]
    assert _cite(engine, "b", note=4, locator="3") == ["ibid 3"]
    _cite(engine, "a", note=7)
    assert _cite(engine, "b", note=8) == ["Brown (n 1)"]


def test_no_ibid_after_a_note_of_several_cites() -> None:
    engine = _engine()
    _cite(engine, "b", note=1)
    _cite(engine, "a", note=2)
    _cite(engine, "b", note=2)
    assert _cite(engine, "b", note=3) == ["Brown (n 1)"]
    assert _cite(engine, "b", note=4) == ["ibid"]


def test_the_same_locator_again_is_ibid_without_it() -> None:
    """citeproc-js: "ibid" when the locator (and its label) repeats the one before, "ibid 4"
    when it differs (citeproc-py compared locators by identity: "ibid 3")."""
    engine = _engine()
    _cite(engine, "b", note=1, locator="3")
    assert _cite(engine, "b", note=2, locator="3") == ["ibid"]
    assert _cite(engine, "b", note=3, locator="4") == ["ibid 4"]


# --- near-note --------------------------------------------------------------------------------

_NEAR = """<style xmlns="http://purl.org/net/xbiblio/csl" class="{kind}" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation near-note-distance="2"><layout><choose>
    <if position="near-note"><text value="near "/><text variable="title"/></if>
    <else-if position="subsequent"><text value="far "/><text variable="title"/></else-if>
    <else><text value="first "/><text variable="title"/></else></choose></layout></citation>
</style>"""
_LETTERS = [{"id": key, "type": "book", "title": key.upper()} for key in "abcdefg"]
_CLUSTERS = ["a", "bcde", "a", "f", "g", "a", "bcdefg", "a", "b"]
"""Each string one citation (in a note of its own, 1, 2, 3 …), each letter a cite."""
_NEAR_IN_JS = ["first A", "first B|first C|first D|first E", "near A", "first F", "first G",
               "far A", "far B|far C|far D|far E|far F|near G", "near A", "near B"]
"""citeproc-js's rendering of _CLUSTERS (render.js, noteIndex 1, 2, 3 …): G, cited in note
5, is near in note 7 (7 − 5 ≤ 2) though five cites stand between; so is B in note 9."""


def _near_engine(tmp_path: Path, kind: str) -> csl.Engine:
    path = tmp_path / "near.csl"
    path.write_text(_NEAR.format(kind=kind), encoding="utf-8")
    engine = csl.Engine(path, "en", _LETTERS)
    engine.register([csl.ItemRequest(key) for key in "abcdefg"])
    return engine


@pytest.mark.parametrize("kind", ["note", "in-text"])
def test_near_note_is_measured_in_notes(tmp_path: Path, kind: str) -> None:
    """A note style's citations stand in notes 1, 2, 3 …; an in-text style's, in no note,
    count one apiece (as the oracle numbers them for citeproc-js). citeproc-py counted
    cites, one too many: "far G", "far B"."""
    engine = _near_engine(tmp_path, kind)
    rendered = ["|".join(_cite(engine, *keys, note=number if kind == "note" else None))
                for number, keys in enumerate(_CLUSTERS, start=1)]
    assert rendered == _NEAR_IN_JS


def test_near_note_skips_the_authors_notes(tmp_path: Path) -> None:
    """Notes 2 and 5 are the author's, citing nothing: citeproc-js (noteIndex 1, 3, 4, 6)
    prints "near A" in note 3 (3 − 1 ≤ 2) and "far A" in note 6 (6 − 3 > 2)."""
    engine = _near_engine(tmp_path, "note")
    rendered = [_cite(engine, key, note=note)
                for key, note in (("a", 1), ("a", 3), ("b", 4), ("a", 6))]
    assert rendered == [["first A"], ["near A"], ["first B"], ["far A"]]
