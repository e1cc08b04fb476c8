"""A term opening a note's citation or a bibliography entry is capitalised (``csl.capitals``).

Every expectation is citeproc-js's (tools/oracle/render.js) for the same style, references
and citations, each citation in a note of its own (noteIndex 1, 2, 3 …); citeproc-py
printed each term as the locale spells it ("ibid", "in").
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from kzpublish import citations, csl, reader
from kzpublish.config import Config

REPO = Path(__file__).resolve().parents[2]
_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="{kind}" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout delimiter="; "><choose>
    <if position="ibid"><text term="ibid"/></if>
    <else-if type="chapter"><group delimiter=" "><text term="in"/><text variable="title"/>
      </group></else-if>
    <else-if type="report"><group delimiter=" "><text variable="volume"/><text term="in"/>
      </group><text term="in" prefix="(" suffix=")"/><text variable="title"/></else-if>
    <else><text term="in" text-case="lowercase"/><text value=" x "/><text term="in"/>
      <text variable="title"/></else></choose></layout></citation>
  <bibliography><layout><group delimiter=" "><text term="in"/><text variable="title"/>
    </group></layout></bibliography>
</style>"""
_ITEMS = [{"id": "a", "type": "book", "title": "alpha"},
          {"id": "c", "type": "chapter", "title": "gamma"},
          {"id": "r", "type": "report", "title": "rho"}]


def _engine(tmp_path: Path, kind: str) -> csl.Engine:
    path = tmp_path / "terms.csl"
    path.write_text(_STYLE.format(kind=kind), encoding="utf-8")
    engine = csl.Engine(path, "en", _ITEMS)
    engine.register([csl.ItemRequest(item["id"]) for item in _ITEMS])
    return engine


def _notes(engine: csl.Engine, *clusters: str) -> list[str]:
    """Each string a citation in a note of its own, its first cite opening the note."""
    rendered = []
    for number, keys in enumerate(clusters, start=1):
        cluster = engine.cluster(number)
        rendered.append("; ".join(
            engine.render(csl.ItemRequest(key, opens=not at), cluster)
            for at, key in enumerate(keys)))
    return rendered


def test_a_term_opening_a_note_is_capitalised(tmp_path: Path) -> None:
    """Only the note's first cite, only a term rendered before anything else: a later
    cite's "in", a term after a value, a term set lowercase by the style stay small."""
    engine = _engine(tmp_path, "note")
    assert _notes(engine, "a", "a", "c", "ca", "ac") == [
        "in x inalpha", "Ibid.", "In gamma", "Ibid.; in x inalpha", "in x inalpha; in gamma"]


def test_a_group_left_out_is_not_rendered_before(tmp_path: Path) -> None:
    """The report's first group has no volume and goes; the bracketed term then opens
    the note: citeproc-js "(In)rho"."""
    engine = _engine(tmp_path, "note")
    assert _notes(engine, "r") == ["(In)rho"]


def test_an_in_text_citation_is_left_alone(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "in-text")
    assert engine.render(csl.ItemRequest("c")) == "in gamma"


@pytest.mark.parametrize("kind", ["note", "in-text"])
def test_a_term_opening_an_entry_is_capitalised(tmp_path: Path, kind: str) -> None:
    engine = _engine(tmp_path, kind)
    assert engine.entries(str.encode) == [("a", "In alpha"), ("c", "In gamma"),
                                          ("r", "In rho")]


# --- through the citations stage: McGill's ibid -------------------------------------------

_BETA = [{"id": "b", "type": "book", "title": "Beta", "issued": {"date-parts": [[2002]]},
          "author": [{"family": "Brown", "given": "Bob"}], "publisher": "Press"}]


def _footnotes(tmp_path: Path, style: str, markdown: str) -> list[str]:
    manuscript = tmp_path / "manuscript"
    manuscript.mkdir()
    (manuscript / "ch.md").write_text(markdown, encoding="utf-8")
    (manuscript / "refs.json").write_text(json.dumps(_BETA), encoding="utf-8")
    config = Config(project=tmp_path, file=manuscript / "book.toml", title="T", authors=("A",),
                    language="en", chapters=(Path("ch.md"),), bibliography=Path("refs.json"),
                    csl=style)
    book = citations.resolve(reader.read(config), config)
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>', book.chapters[0].html)
    return [re.sub(r"<[^>]+>", "", span) for span in spans]


def test_mcgill_opens_a_note_with_ibid(tmp_path: Path) -> None:
    """citeproc-js: "Ibid." and "Ibid at 4." open their notes; after the author's "see"
    it stays "ibid." — and the note starts with a capital, as Pandoc writes a note a
    citation makes (citation_notes.sentence_start): "See ibid."."""
    markdown = ("# T\n\nOne [@b, p. 3].\n\nTwo [@b, p. 3].\n\nThree [see @b, p. 3].\n\n"
                "Four [@b, p. 4].\n")
    notes = _footnotes(tmp_path, "mcgill-en", markdown)
    assert notes[1:] == ["Ibid.", "See ibid.", "Ibid at 4."]


def test_a_prefix_that_ends_a_sentence_opens_the_cite(tmp_path: Path) -> None:
    """citeproc-js: "Ibid." after a prefix of several words ending in a stop (even before
    a closing quote); "ibid." after one word (an abbreviation, maybe) or none."""
    markdown = ("# T\n\nOne [@b, p. 3].\n\nTwo [This was said. @b, p. 3].\n\n"
                "Three [Cf. @b, p. 3].\n\nFour [He wrote \"no.\" @b, p. 3].\n")
    notes = _footnotes(tmp_path, "mcgill-en", markdown)
    assert [html.unescape(note) for note in notes[1:]] == [
        "This was said. Ibid.", "Cf. ibid.", "He wrote “no.” Ibid."]  # pandoc's smart quotes


@pytest.mark.parametrize(("prefix", "ends"), [
    ("This has been said.", True), ("He said “Please work.”", True), ("Is it?", True),
    ("Nocapsafter.", False), ("see", False), ("<em>Compare</em> this:", True), ("", False),
    ("he said &quot;no&quot;", False)])
def test_which_prefixes_end_a_sentence(prefix: str, ends: bool) -> None:
    assert csl.capitals.ends_sentence(prefix) is ends
