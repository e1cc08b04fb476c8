"""Pandoc citation syntax, table-driven: what the reader makes of each form."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from kzpublish import citations, cite_syntax, csl
from kzpublish.config import Config
from kzpublish.reader import read
from tests.conftest import one_chapter_book
from tests.pandoc_oracle import pandoc_html


@pytest.mark.parametrize(("rest", "expected"), [
    ("", ("page", "", "")),
    (", p. 33", ("page", "33", "")),
    (", pp. 33-35, and passim", ("page", "33-35", ", and passim")),
    (", с. 12", ("page", "12", "")),
    (", с. 31–50", ("page", "31–50", "")),
    (", гл. 3", ("chapter", "3", "")),
    (", т. 2", ("volume", "2", "")),
    (", chap. IV", ("chapter", "IV", "")),
    (", § 5", ("section", "5", "")),
    (", 12", ("page", "12", "")),
    (", and elsewhere", ("page", "", ", and elsewhere")),
    (" emphasis mine", ("page", "", "emphasis mine")),
    # German and French as authors write them: "S. 12" was a suffix, the pinpoint lost
    (", S. 12--15", ("page", "12–15", "")),
    (", Bd. 1, S. 45", ("volume", "1", ", S. 45")),
    (", Kap. 2", ("chapter", "2", "")),
    (", V. 1112", ("verse", "1112", "")),
    (", Sassen", ("page", "", ", Sassen")),
    (", n° 4", ("issue", "4", "")),
])
def test_split_locator(rest: str, expected: tuple[str, str, str]) -> None:
    assert cite_syntax.split_locator(rest) == expected


@pytest.mark.parametrize(("content", "keys"), [
    ("@a", ["a"]),
    ("@a; @b", ["a", "b"]),
    ("see @doe99, p. 3; also -@smith", ["doe99", "smith"]),
    ("@{weird key}", ["weird key"]),
    ("@a.b:c", ["a.b:c"]),
])
def test_parse_bracketed_keys(content: str, keys: list[str]) -> None:
    items = cite_syntax.parse_bracketed(content, 0)
    assert items is not None
    assert [item.key for item in items] == keys


def test_parse_bracketed_needs_a_key_in_every_part() -> None:
    assert cite_syntax.parse_bracketed("@a; no key here", 0) is None


def test_prefix_suffix_and_suppress_author() -> None:
    items = cite_syntax.parse_bracketed("see @doe99, p. 3, emphasis added; -@smith", 1)
    assert items is not None
    first, second = items
    assert (first.prefix, first.locator, first.suffix) == ("see", "3", ", emphasis added")
    assert not first.suppress_author
    assert second.suppress_author
    assert first.offset == 5  # the '@' of @doe99, counted from the '[' at 0


def _book(tmp_path: Path, text: str) -> Config:
    return one_chapter_book(tmp_path, text)


@pytest.mark.parametrize(("bracket", "locator", "suffix"), [
    ("[foo 3]", "", ", foo 3"), ("[p. 3]", "3", ""), ("[, foo]", "", ", foo"),
    ("[p. 3, emphasis added]", "3", ", emphasis added"),
])
def test_a_narrative_cites_bracket_reads_as_after_a_comma(tmp_path: Path, bracket: str,
                                                          locator: str, suffix: str) -> None:
    """Pandoc: ``@a [foo 3]`` is "A (2000, foo 3)"; the suffix had lost its space (",foo 3")."""
    item = read(_book(tmp_path, f"As @a {bracket} says.\n")).chapters[0].citations[0].items[0]
    assert (item.locator, item.suffix) == (locator, suffix)


def test_reader_finds_citations_with_positions(tmp_path: Path) -> None:
    text = "# Title\n\nIntro text [@a; @b, p. 4].\nAs @c [ch. 2] says, mail me at x@y.org.\n"
    book = read(_book(tmp_path, text))
    citations = book.chapters[0].citations
    assert [[i.key for i in c.items] for c in citations] == [["a", "b"], ["c"]]
    assert [c.narrative for c in citations] == [False, True]
    a, b = citations[0].items
    c = citations[1].items[0]
    assert (a.pos.line, a.pos.col) == (3, 13)
    assert (b.pos.line, b.pos.col) == (3, 17)
    assert (c.pos.line, c.pos.col, c.locator, c.label) == (4, 4, "2", "chapter")
    assert book.chapters[0].html.count("<kz-cite") == 2


def test_reader_leaves_links_and_footnotes_alone(tmp_path: Path) -> None:
    text = "A [link](http://x.org) and a note.[^1] Email a@b.c.\n\n[^1]: Note text.\n"
    chapter = read(_book(tmp_path, text)).chapters[0]
    assert chapter.citations == ()
    assert '<a href="http://x.org">link</a>' in chapter.html
    assert "footnote" in chapter.html


def test_heading_attributes_and_unique_ids(tmp_path: Path) -> None:
    text = "# Глава первая\n\n## Итоги\n\n## Итоги\n\n# Literature {#refs .unnumbered}\n"
    chapter, literature = read(_book(tmp_path, text)).chapters  # each level-1 heading opens one
    assert [h.id for h in chapter.headings] == ["глава-первая", "итоги", "итоги-1"]
    assert [h.id for h in literature.headings] == ["refs"]
    assert '<h1 id="refs" class="unnumbered">Literature</h1>' in literature.html
    assert chapter.title == "Глава первая" and chapter.has_own_title


def test_fenced_divs_and_a_refs_div(tmp_path: Path) -> None:
    text = "Text [@a].\n\n::: {#refs}\n:::\n\n::: {.aside #box}\nIn a *box* [@b].\n:::\n"
    chapter = read(_book(tmp_path, text)).chapters[0]
    assert '<div id="refs">\n<kz-bibliography></kz-bibliography>\n</div>' in chapter.html
    assert '<div id="box" class="aside">\n<p>In a <em>box</em> <kz-cite n="2">' in chapter.html
    assert [c.items[0].key for c in chapter.citations] == ["a", "b"]


@pytest.mark.parametrize(("rest", "expected"), [
    (" p. 34-35", ("page", "34-35", "")),           # pandoc: a locator needs no comma
    (" 33", ("page", "33", "")),
    (" chap. 3", ("chapter", "3", "")),
    (", pp. 33--35", ("page", "33–35", "")),        # pandoc's smart dash
    ("{ii, A, D-Z}", ("page", "ii, A, D-Z", "")),   # braces: a locator whatever it holds
    (", {pp. iv, vi-xi} with suffix", ("page", "iv, vi-xi", "with suffix")),
    (", {vol. 1, fol. 186, 8 April 1544}", ("volume", "1, fol. 186, 8 April 1544", "")),
    (", pp. iv--xi", ("page", "iv–xi", "")),
    (" and elsewhere", ("page", "", "and elsewhere")),
    (" mix", ("page", "", "mix")),                  # a word, not a roman numeral
])
def test_split_locator_as_pandoc(rest: str, expected: tuple[str, str, str]) -> None:
    assert cite_syntax.split_locator(rest) == expected


PANDOC_CITES = (
    "[*see* @k p. 34-35]", "[@k p. 34-35]", "[@k, pp. 33--35]", "[@k 33]",
    "[@k pp. 33--35, *passim*]", "@k [p. 33--35]", "[@k, 33, 35]",
    "[see **also** @k, p. 3, with `code`]", "[@k{ii, A, D-Z}]", "[@k, {pp. iv, vi-xi} with suffix]",
    "[@k, pp. iv--xi]", "[@k and elsewhere]", "[@k, p. 3 and *more*]", "[_cf._ @k, 5]",
    "[@k 33 and passim]", "[@k 3--5, 7]", "[@k, §§ 3--4]", "[@k in 1999]",
    "@k [p. 3; see also @m, 5]", "@k [; @m]", "@k []", "@k [see @m, 5]",  # with others
)
_REFERENCE = {"id": "k", "type": "book", "author": [{"family": "Doe", "given": "Jane"}],
              "title": "Book", "issued": {"date-parts": [[2001]]}}
_OTHER = {"id": "m", "type": "book", "author": [{"family": "Roe", "given": "Rich"}],
          "title": "Other", "issued": {"date-parts": [[2002]]}}


def _cites(html: str) -> list[tuple[str, list[str]]]:
    """Each citation's text and its marked-up runs (``em: see``)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(" ".join(span.text_content().split()),
             [f"{run.tag}: {run.text_content()}" for run in span.iter("em", "strong", "code")])
            for span in root.xpath('//span[contains(@class, "citation")]')]


def test_citations_read_and_render_as_pandoc_citeproc(tmp_path: Path) -> None:
    """Expectations are pandoc's (``pandoc --citeproc``, the same CSL file and reference):
    Markdown in prefixes and suffixes, locators without a comma or in braces, ``--``."""
    markdown = "\n\n".join(f"Claim {cite}." for cite in PANDOC_CITES) + "\n"
    style = csl.find_style("chicago-author-date", tmp_path)
    metadata = tmp_path / "meta.json"
    metadata.write_text(json.dumps({"references": [_REFERENCE, _OTHER]}), encoding="utf-8")
    expected = _cites(pandoc_html(markdown, "--citeproc", f"--csl={style}",
                                  f"--metadata-file={metadata}"))
    config = one_chapter_book(tmp_path, markdown, csl=str(style))
    (config.manuscript / "refs.json").write_text(json.dumps([_REFERENCE, _OTHER]),
                                                  encoding="utf-8")
    book = citations.resolve(read(config), config)
    assert _cites(book.chapters[0].html) == expected
