"""A narrative ``@key`` as pandoc 2.17 sets it: the author's name in the sentence as the
cite prints the names where it stands (its AuthorOnly half, rendered at the cite's
position), the rest in parentheses — or, in a note style, in the note.

Expected texts are pandoc 2.17's (``pandoc --citeproc``) on the same style and data."""

from __future__ import annotations

import html as html_text
import json
import re
from pathlib import Path
from typing import Any

from kzpublish import citations
from kzpublish.reader import read
from tests.conftest import one_chapter_book

KNUTH = {"id": "knuth1984", "type": "book", "title": "The TeXbook",
         "publisher": "Addison-Wesley", "author": [{"family": "Knuth", "given": "Donald E."}],
         "issued": {"date-parts": [[1984]]}}
LAMPORT = {"id": "lamport1994", "type": "book",
           "title": "LaTeX: A Document Preparation System", "publisher": "Addison-Wesley",
           "author": [{"family": "Lamport", "given": "Leslie"}],
           "issued": {"date-parts": [[1994]]}}
TRIO = {"id": "trio", "type": "book", "title": "Typesetting",
        "author": [{"family": "Knuth", "given": "Donald E."},
                   {"family": "Plass", "given": "Michael F."},
                   {"family": "Lamport", "given": "Leslie"}],
        "issued": {"date-parts": [[1990]]}}
# A note style whose "ibid" prints no names: an author's name taken from an ibid render
# would fall back to the data's ("Knuth et al."), not the style's.
MINI_NOTE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Mini note</title><id>mini-note</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix="." delimiter="; ">
      <choose>
        <if match="any" position="ibid ibid-with-locator">
          <text term="ibid" text-case="capitalize-first"/></if>
        <else-if position="subsequent">
          <names variable="author"><name form="short" and="text"/></names></else-if>
        <else>
          <group delimiter=", "><names variable="author"><name and="text"/></names>
            <text variable="title" font-style="italic"/></group></else>
      </choose>
      <text variable="locator" prefix=", "/>
    </layout>
  </citation>
</style>
"""


def _plain(html: str) -> str:
    return html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))).replace(
        "\u00a0", " ").strip()


def _book(tmp_path: Path, markdown: str, style: str, references: list[dict[str, Any]]
          ) -> tuple[list[str], list[str]]:
    """The chapter's paragraphs (a note call as ``[n]``) and its notes, as plain text."""
    settings = one_chapter_book(tmp_path, markdown, csl=style)
    (settings.manuscript / "refs.json").write_text(json.dumps(references), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    body, _, notes = html.partition('<section class="footnotes"')
    body = re.sub(r'<a [^>]*role="doc-noteref"[^>]*>(\d+)</a>', r"[\1]", body)
    return ([_plain(p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)],
            [_plain(n) for n in re.findall(r"<aside [^>]*>(.*?)</aside>", notes, re.S)])


def test_the_author_stays_in_the_sentence_the_rest_goes_to_the_note(tmp_path: Path) -> None:
    text, notes = _book(tmp_path, "First @knuth1984 says.\n\nSecond @knuth1984 [12] says.\n\n"
                        "Third [-@knuth1984] alone.\n", "chicago-notes-bibliography", [KNUTH])
    assert text == ["First Donald E. Knuth[1] says.", "Second Knuth[2] says.",
                    "Third[3] alone."]
    assert notes == ["1. The TeXbook (Addison-Wesley, 1984).", "2. The TeXbook, 12.",
                     "3. The TeXbook."]


def test_a_note_with_nothing_left_to_say_stays_empty(tmp_path: Path) -> None:
    """A work without a title, cited again: its short note is the author alone, who is in
    the sentence. Pandoc leaves the note empty ("[2] "); it read "2. ." (the layout's
    period around nothing)."""
    untitled = {"id": "roe", "type": "book", "author": [{"family": "Roe", "given": "Rick"}],
                "issued": {"date-parts": [[2001]]}}
    text, notes = _book(tmp_path, "B @roe says. B2 @roe again. B3 @roe [4] again.\n",
                        "chicago-notes-bibliography", [untitled])
    assert text == ["B Rick Roe[1] says. B2 Roe[2] again. B3 Roe[3] again."]
    assert notes == ["1. (2001).", "2.", "3. 4."]


def test_the_note_of_a_narrative_citation_holds_its_other_items(tmp_path: Path) -> None:
    text, notes = _book(tmp_path, "C @knuth1984 [14; see also @lamport1994] says.\n",
                        "chicago-notes-bibliography", [KNUTH, LAMPORT])
    assert text == ["C Donald E. Knuth[1] says."]
    assert notes == ["1. The TeXbook (Addison-Wesley, 1984), 14; see also Leslie Lamport, "
                     "LaTeX: A Document Preparation System (Addison-Wesley, 1994)."]


def test_in_an_authors_note_a_narrative_citation_is_cited_in_full(tmp_path: Path) -> None:
    _, notes = _book(tmp_path, "Text.[^1]\n\n[^1]: In a note @knuth1984 [20] says.\n",
                     "chicago-notes-bibliography", [KNUTH])
    assert notes == ["1. In a note Donald E. Knuth, The TeXbook (Addison-Wesley, 1984), 20 says."]


def test_an_author_in_the_text_is_never_ibid(tmp_path: Path) -> None:
    (tmp_path / "csl").mkdir()
    (tmp_path / "csl" / "mini-note.csl").write_text(MINI_NOTE, encoding="utf-8")
    text, notes = _book(tmp_path, "One [@trio].\n\nTwo @trio [5] says.\n",
                        "csl/mini-note.csl", [TRIO])
    assert text == ["One.[1]", "Two Knuth, Plass, and Lamport[2] says."]
    assert notes == ["1. Donald E. Knuth, Michael F. Plass, and Leslie Lamport, Typesetting.",
                     "2. Ibid., 5."]


def test_an_in_text_author_reads_as_its_cite_prints_the_names(tmp_path: Path) -> None:
    """APA 6 names up to five authors at a work's first cite, "et al." after."""
    text, _ = _book(tmp_path, "One @trio says.\n\nTwo @trio says.\n\nThree [@trio].\n",
                    "apa-6th-edition", [TRIO])
    assert text == ["One Knuth, Plass, & Lamport (1990) says.", "Two Knuth et al. (1990) says.",
                    "Three (Knuth et al., 1990)."]
