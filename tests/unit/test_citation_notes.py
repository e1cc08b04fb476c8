"""citation_notes.place renders citations in reading order (note styles' ibid depends on it)."""

from __future__ import annotations

import re
from pathlib import Path

from kzpublish import citation_notes, citations, footnote_rules
from kzpublish.errors import SourcePos
from kzpublish.model import Chapter, Citation, CiteItem

WORDS = {"back": "Back", "notes": "Notes"}


def _back(ref: str, number: int) -> str:
    return footnote_rules.backlink_html(ref, number, WORDS["back"])


def _chapter() -> Chapter:
    """Body: cite 1, the author's note call, cite 2; the note (at the end) holds cite 3."""
    call = footnote_rules.call_html("fn-c1-1", "fnref-c1-1", 1)
    note = (footnote_rules.section_open("Notes") + footnote_rules.note_open("fn-c1-1")
            + f'<p>{_back("fnref-c1-1", 1)}See <kz-cite n="3"></kz-cite>.</p>\n'
            "</aside>\n</section>\n")
    html = (f'<p>One <kz-cite n="1"></kz-cite>. Two{call} and '
            f'three <kz-cite n="2"></kz-cite>.</p>\n{note}')
    return Chapter(id="c1", source=SourcePos(Path("c1.md"), 1, 1), title="T", html=html)


def test_a_citation_in_an_authors_note_renders_where_its_call_is_read() -> None:
    order: list[str] = []

    def render(kind: str):
        return lambda n, *_: order.append(f"{kind}{n}") or f"[{kind}{n}]"

    placed = citation_notes.place(_chapter(), lambda n: "", render("note"), render("in-note"),
                                  WORDS)
    assert order == ["note1", "in-note3", "note2"]
    assert "See [in-note3]." in placed.html
    assert placed.html.count('role="doc-footnote"') == 3


def _second_chapter() -> Chapter:
    """Body: the author's note 1 called, cite 4, note 2 (holding cite 5) called, note 1
    called again; note 1 holds no citation."""
    calls = [footnote_rules.call_html(f"fn-c2-{n}", ref, n)
             for n, ref in ((1, "fnref-c2-1"), (2, "fnref-c2-2"), (1, "fnref-c2-1-1"))]
    notes = (footnote_rules.section_open("Notes")
             + footnote_rules.note_open("fn-c2-1") + f'<p>{_back("fnref-c2-1", 1)}A remark.'
             "</p>\n</aside>\n" + footnote_rules.note_open("fn-c2-2")
             + f'<p>{_back("fnref-c2-2", 2)}See <kz-cite n="5"></kz-cite>.</p>\n'
             "</aside>\n</section>\n")
    html = (f'<p>Four{calls[0]} <kz-cite n="4"></kz-cite>, five{calls[1]}, '
            f"one again{calls[2]}.</p>\n{notes}")
    return Chapter(id="c2", source=SourcePos(Path("c2.md"), 1, 1), title="T", html=html)


def _numbers_in_notes(chapters: list[Chapter]) -> dict[int, int]:
    """Citation number → the number its note shows, read off the placed chapters."""
    found = {}
    for chapter in chapters:
        for note in re.finditer(r'<aside class="footnote".*?</aside>', chapter.html, re.S):
            label = re.search(r'class="footnote-back"[^>]*>(\d+)</a>', note[0])
            for cite in re.findall(r"\[[cC](\d+)\]", note[0]):
                found[int(cite)] = int(label[1]) if label else 0
    return found


def test_note_numbers_are_those_the_notes_get() -> None:
    """Known before the citations render (first-reference-note-number needs them): one
    numbering through the book, author's notes included, a note called twice counted once."""
    chapters = [_chapter(), _second_chapter()]
    cite = lambda n, *_: f"[c{n}]"  # noqa: E731
    placed = citation_notes.renumber(
        [citation_notes.place(chapter, lambda n: "", cite, cite, WORDS) for chapter in chapters])
    assert _numbers_in_notes(placed) == {1: 1, 3: 2, 2: 3, 4: 5, 5: 6}
    assert citation_notes.note_numbers(chapters) == {1: 1, 3: 2, 2: 3, 4: 5, 5: 6}


def test_a_reader_meets_a_note_s_citations_at_its_call() -> None:
    """The order citations are registered and rendered in, whatever the style; a note
    called twice is met at its first call."""
    assert citation_notes.reading_order([_chapter(), _second_chapter()]) == [1, 3, 2, 4, 5]
    first, again = (footnote_rules.call_html("fn-c3-1", ref, 1)
                    for ref in ("fnref-c3-1", "fnref-c3-1-1"))
    note = (footnote_rules.section_open("Notes") + footnote_rules.note_open("fn-c3-1")
            + f'<p>{_back("fnref-c3-1", 1)}See <kz-cite n="7"></kz-cite>.</p>\n</aside>\n'
            "</section>\n")
    html = f'<p>One{first} two <kz-cite n="6"></kz-cite> one again{again}.</p>\n{note}'
    third = Chapter(id="c3", source=SourcePos(Path("c3.md"), 1, 1), title="T", html=html)
    assert citation_notes.reading_order([third]) == [7, 6]


def test_an_in_text_style_numbers_only_the_author_s_notes() -> None:
    """Its citations in the text make no notes: cite 5 stands in the book's third note."""
    chapters = [_chapter(), _second_chapter()]
    assert citation_notes.note_numbers(chapters, own_notes=False) == {3: 1, 5: 3}


def test_every_reference_cited_in_a_note_has_its_first_note() -> None:
    """citeproc-js compares the cites of a reference cited once with its note number too:
    two works by Doe first cited together in note 1 read alike ("Doe, supra note 1") and
    are told apart, even when only one of them is cited again."""
    at = SourcePos(Path("ch.md"), 1, 1)
    cited = [Citation(1, (CiteItem("A", at), CiteItem("B", at))), Citation(2, (CiteItem("A", at),))]
    assert citations._first_notes(cited, {1: 1, 2: 4}) == {"a": 1, "b": 1}


def test_a_note_a_citation_makes_starts_with_a_capital() -> None:
    """As Pandoc writes them: "[see @a]" → "See Doe…", markup and entities skipped."""
    assert citation_notes.sentence_start("see Doe") == "See Doe"
    assert citation_notes.sentence_start('<i>vgl.</i> <a href="#r">Doe</a>') == \
        '<i>Vgl.</i> <a href="#r">Doe</a>'
    assert citation_notes.sentence_start("&#8220;quoted,&#8221; x") == "&#8220;Quoted,&#8221; x"
    assert citation_notes.sentence_start("«см. также»") == "«См. также»"
    assert citation_notes.sentence_start("2000, 3") == "2000, 3"
