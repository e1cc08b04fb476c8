"""How a citation is assembled around its cites (``citations``): the layout's formatting
around the whole of it, and the delimiter left out where the author's affixes punctuate.
Every expectation is citeproc-js's for the same style and cites (CSL test suite:
collapse_CitationNumberRangesWithAffixes, magic_SuppressLayoutDelimiterIfPrefixComma,
affix_WithCommas)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kzpublish import citations, csl
from kzpublish.reader import read
from tests.conftest import one_chapter_book

_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation {citation}><layout {layout}>{body}</layout></citation>
  <bibliography><sort><key variable="title"/></sort>
    <layout><text variable="title"/></layout></bibliography>
</style>"""
_BOOKS = [{"id": key, "type": "book", "title": f"Book {key.upper()}"} for key in "abc"]


def _citations(tmp_path: Path, markdown: str, citation: str, layout: str, body: str
               ) -> list[str]:
    """Each citation's HTML, the links to entries taken out."""
    style = tmp_path / "s.csl"
    style.write_text(_STYLE.format(citation=citation, layout=layout, body=body), "utf-8")
    settings = one_chapter_book(tmp_path, markdown, csl=str(style))
    (settings.manuscript / "refs.json").write_text(json.dumps(_BOOKS), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>(?= here)', html)
    return [re.sub(r"</?a\b[^>]*>", "", span) for span in spans]


def test_the_layout_formatting_is_set_around_the_whole_citation(tmp_path: Path) -> None:
    """Once, affixes included: "<b>([1]–[3])</b>", not "(<b>[1]</b>–<b>[3]</b>)"."""
    found = _citations(tmp_path, "One [@a; @b; @c] here.\n\nTwo [@b] here.\n",
                       'collapse="citation-number"',
                       'delimiter="," font-weight="bold" vertical-align="sup" prefix="(" '
                       'suffix=")"', '<text variable="citation-number" prefix="[" suffix="]"/>')
    assert found == ["<b><sup>([1]–[3])</sup></b>", "<b><sup>([2])</sup></b>"]


def test_a_prefix_beginning_with_a_comma_takes_the_delimiter_s_place(tmp_path: Path) -> None:
    found = _citations(tmp_path, "One [@a; , cited in @b] here.\n", "", 'delimiter="; "',
                       '<text variable="title"/>')
    assert found == ["Book A, cited in Book B"]


def test_a_suffix_ending_in_a_stop_keeps_only_the_delimiter_s_space(tmp_path: Path) -> None:
    found = _citations(tmp_path, "One [@a, is one source,; @b, is another] here.\n", "",
                       'delimiter="; "', '<text variable="title"/>')
    assert found == ["Book A, is one source, Book B, is another"]


# --- a reference the style prints nothing for ---------------------------------------------

_NUMERIC = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="[" suffix="]" delimiter=", ">{cite}</layout></citation>
  <bibliography><layout><choose><if type="book"><group delimiter=". ">
    <text variable="citation-number"/><text variable="title"/></group></if></choose>
  </layout></bibliography>
</style>"""
_MIXED = [{"id": "a", "type": "book", "title": "Book A"},
          {"id": "letter", "type": "personal_communication", "title": "Letter"},
          {"id": "c", "type": "book", "title": "Book C"}]


def _resolved(tmp_path: Path, cite: str) -> tuple[str, list[str]]:
    """The chapter's HTML and its warnings, the references ``_MIXED``."""
    style = tmp_path / "s.csl"
    style.write_text(_NUMERIC.format(cite=cite), "utf-8")
    settings = one_chapter_book(tmp_path, "One [@a; @letter; @c] here.\n", csl=str(style))
    (settings.manuscript / "refs.json").write_text(json.dumps(_MIXED), encoding="utf-8")
    chapter = citations.resolve(read(settings), settings).chapters[0]
    return re.sub(r"<[^>]+>", "", chapter.html), [str(w) for w in chapter.warnings]


def test_a_cite_printed_empty_reads_as_citeproc_js_prints_it_and_warns(tmp_path: Path) -> None:
    """citeproc-js prints its error text; Pandoc warns ("Citation with no printed form")."""
    text, warnings = _resolved(tmp_path, '<choose><if type="book"><text variable="title"/>'
                               "</if></choose>")
    assert f"[Book A, {csl.NO_PRINTED_FORM}, Book C]" in text
    assert len(warnings) == 1
    assert "refs.json:1:" in warnings[0] and "warning: the style" in warnings[0]
    assert "reference 'letter'" in warnings[0]


def test_a_numeric_style_s_empty_entry_keeps_its_number(tmp_path: Path) -> None:
    """citeproc-js: "2. [CSL STYLE ERROR…]" between entries 1 and 3, where leaving it out
    would leave a gap; a style that prints no numbers in its cites just leaves it out."""
    text, warnings = _resolved(tmp_path, '<text variable="citation-number"/>')
    assert "[1, 2, 3]" in text
    assert f"1. Book A ^\n2. {csl.NO_PRINTED_FORM} ^\n3. Book C" in text
    assert len(warnings) == 1 and "reference 'letter'" in warnings[0]
    text, warnings = _resolved(tmp_path, '<text variable="title"/>')
    assert csl.NO_PRINTED_FORM not in text and warnings == []


# --- several citations in one note (the suite's noteIndex) ----------------------------------

_NOTES = """<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout delimiter="; "><choose><if position="ibid"><text term="ibid"/></if>
    <else-if position="subsequent"><text variable="title"/>
      <text variable="first-reference-note-number" prefix=", n "/></else-if>
    <else><text variable="title"/></else></choose></layout></citation>
</style>"""


def test_citations_in_an_author_s_note_count_as_that_note(tmp_path: Path) -> None:
    """citeproc-js (position_ResetNoteNumbers, position_IbidWithMultipleSoloCitesInBackref):
    first-reference-note-number is the note, wherever in it the first cite stands, and no
    "ibid" follows a note of several cites. Pandoc sets citations in a note in parentheses,
    but for one that opens it."""
    style = tmp_path / "s.csl"
    style.write_text(_NOTES, "utf-8")
    markdown = ("One.[^1] Two.[^2] Three [@c]. Four [@a]. Five [@a].\n\n"
                "[^1]: [@a] first. [@c] too.\n[^2]: [@a] again. [@a] once more.\n")
    settings = one_chapter_book(tmp_path, markdown, csl=str(style))
    (settings.manuscript / "refs.json").write_text(json.dumps(_BOOKS), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    notes = [re.sub(r"<[^>]+>", "", note).strip() for note in
             re.findall(r'<aside class="footnote"[^>]*>(.*?)</aside>', html, re.S)]
    assert notes == ["1. Book A first. (Book C) too.",
                     "2. Book A, n 1 again. (ibid.) once more.",
                     "3. Book C, n 1", "4. Book A, n 1", "5. Ibid."]


# --- an in-text style's citations in an author's note ---------------------------------------

_IN_TEXT = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")"><group delimiter=" "><text variable="title"/>
    <choose><if position="ibid"><text value="ibid"/></if>
      <else-if position="subsequent"><text value="again"/>
        <text variable="first-reference-note-number" prefix="n "/></else-if></choose>
  </group></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>"""


def _in_text(tmp_path: Path, markdown: str) -> str:
    """The chapter as text, in the in-text style above (no sort: entries in citing order)."""
    style = tmp_path / "s.csl"
    style.write_text(_IN_TEXT, "utf-8")
    settings = one_chapter_book(tmp_path, markdown, csl=str(style))
    (settings.manuscript / "refs.json").write_text(json.dumps(_BOOKS), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    return re.sub(r"\s*\^[\s\d]*", "\n", re.sub(r"<[^>]+>", "", html))


def test_an_in_text_style_s_citation_in_a_note_is_met_at_the_note_s_call(
        tmp_path: Path) -> None:
    """pandoc 2.17 hands citeproc a note's citations where the note is called, as a reader
    meets them: after "[@a]" and a note citing C, "[@a]" is no "ibid", and C is listed
    before B, cited later in the text."""
    text = _in_text(tmp_path, "One [@a]. Two.[^1] Three [@a]. Four [@b].\n\n"
                              "[^1]: See [@c].\n")
    assert "Three (Book A again)." in text
    assert text.index("Book C\n") < text.index("Book B\n")


def test_an_in_text_style_s_citation_in_a_note_counts_as_that_note(tmp_path: Path) -> None:
    """As pandoc 2.17 numbers notes (a citation in the text counts as one, as in a note
    style) and citeproc-js agrees: no "ibid" from a note two notes back, nor in the text
    after a note that cites nothing; "ibid" from the note just before. A cite in a note
    prints the author's note the item was first cited in (citeproc-js; pandoc prints no
    note numbers for an in-text style)."""
    text = _in_text(tmp_path, "One.[^1] Two.[^2] Three.[^3] Four [@b]. Five.[^4] Six [@b]. "
                              "Seven.[^5] Eight [@b].\n\n"
                              "[^1]: See [@a].\n[^2]: Nothing.\n[^3]: See [@a].\n"
                              "[^4]: See [@b].\n[^5]: Nothing.\n")
    assert "1. See (Book A).\n" in text
    assert "3. See (Book A again n 1).\n" in text
    assert "4. See (Book B ibid).\n" in text
    assert "Six (Book B ibid). Seven.5 Eight (Book B again)." in text


def test_a_citation_opening_an_author_s_note_reads_as_a_note_of_its_own(
        tmp_path: Path) -> None:
    """pandoc 2.17's ``deNote``: a note of one paragraph that opens with a citation sets it
    bare, in full, the layout's closing period kept unless the author's punctuation
    follows; any other citation in a note, and all in a note of several paragraphs, in
    parentheses. Chicago notes-bibliography, read as pandoc prints it."""
    markdown = ("A.[^1] B.[^2] C.[^3] D.[^4]\n\n[^1]: [@b, 4].\n[^2]: [@a] [@b]\n"
                "[^3]: [-@a] alone.\n[^4]: Text.\n\n    [@a] opens paragraph two.\n")
    books = [{"id": "a", "type": "book", "title": "Book A", "publisher": "Pub",
              "author": [{"family": "Doe", "given": "John"}], "issued": {"date-parts": [[2001]]}},
             {"id": "b", "type": "book", "title": "Book B", "publisher": "Pub",
              "author": [{"family": "Roe", "given": "Jane"}], "issued": {"date-parts": [[2002]]}}]
    settings = one_chapter_book(tmp_path, markdown, csl="chicago-notes-bibliography")
    (settings.manuscript / "refs.json").write_text(json.dumps(books), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    notes = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", note)).strip() for note in
             re.findall(r'<aside class="footnote"[^>]*>(.*?)</aside>', html, re.S)]
    assert notes == ["1. Jane Roe, Book B (Pub, 2002), 4.",
                     "2. John Doe, Book A (Pub, 2001). (Roe, Book B)",
                     "3. Book A. alone.",
                     "4. Text. (Doe, Book A) opens paragraph two."]


# --- punctuation-in-quote and the author's own quotes ---------------------------------------

def test_the_authors_quotes_keep_their_punctuation(tmp_path: Path) -> None:
    """The locale's punctuation-in-quote (en-US) moves a period or comma into the quotes the
    style sets, not into the author's own quotes in a prefix or suffix: citeproc-js leaves
    an affix as written (label_EditorTranslator2, flipflop_LeadingMarkupWithApostrophe), as
    the author's text outside citations is. This reverses an earlier Pandoc-parity choice:
    pandoc 2.17's citeproc moves them ('“Hello there.”', '‘God willing,’')."""
    found = _citations(tmp_path, 'One [@a, "Hello there".] here.\n\n'
                                 "Two [meaning 'God willing', see @b] here.\n", "", "",
                       '<text variable="title"/>')
    assert found == ["Book A, “Hello there”.", "meaning ‘God willing’, see Book B"]


def test_the_styles_quotes_still_take_the_authors_period(tmp_path: Path) -> None:
    """A period the author's suffix opens with goes inside the quotes the style set, as
    citeproc-js puts it ('“Book A.” More')."""
    found = _citations(tmp_path, "One [@a. More] here.\n", "", "",
                       '<text variable="title" quotes="true"/>')
    assert found == ["“Book A.” More"]
