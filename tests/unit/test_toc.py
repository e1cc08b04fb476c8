"""The contents, the EPUB nav and the PDF outline list the headings `pandoc --toc` lists
(markdown/sections.py, writers/shared.listed, writers/outline.py), and a heading id
written twice is Pandoc's "Duplicate identifier" warning (markdown/heading_ids.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest

from kzpublish import citations, config, crossref, reader
from kzpublish.errors import ConfigError
from kzpublish.model import Book, Heading
from kzpublish.writers import links, outline, shared
from tests.conftest import PROJECTS, one_chapter_book
from tests.pandoc_oracle import PANDOC, pandoc_html, same_shape

SECTIONS = """\
# One

## Sub one

> ## Quoted
>
> text

- item

  ## In a list

Term

: ## In a definition

::: note
## In a div
:::

<div>

## In an HTML div

</div>

## Unlisted {.unlisted}

### Under the unlisted

## Unnumbered {-}

## With a note^[A note.] and a [link](http://x.org) and *emphasis*

# Two {#two}

Text.[^n]

[^n]: A note.

    ## In a note
"""


def _read(tmp_path: Path, text: str, *more: str, **settings: object) -> Book:
    config = one_chapter_book(tmp_path, text, **settings)
    for number, extra in enumerate(more, start=2):
        (config.manuscript / f"ch{number}.md").write_text(extra, encoding="utf-8")
    names = (*config.chapters, *(Path(f"ch{n}.md") for n in range(2, len(more) + 2)))
    return reader.read(replace(config, chapters=names))


def _pandoc_toc(markdown: str) -> list[tuple[str, str]]:
    """`pandoc --toc`'s contents as (href, text), every level."""
    assert PANDOC is not None
    page = subprocess.run([PANDOC, "--toc", "--toc-depth=6", "-s", "-f", "markdown", "-t",
                           "html", "--metadata", "title=T"], input=markdown, text=True,
                          capture_output=True, check=True, timeout=60).stdout
    nav = lxml.html.fromstring(page).get_element_by_id("TOC")
    return [(a.get("href"), re.sub(r"\s+", " ", a.text_content()).strip())
            for a in nav.iter("a")]


def test_the_contents_list_what_pandoc_toc_lists(tmp_path: Path) -> None:
    book = _read(tmp_path, SECTIONS)
    ours = [(entry.href, entry.text) for entry in shared.toc_entries(book, depth=6)]
    assert ours == _pandoc_toc(SECTIONS)
    assert ("#quoted", "Quoted") not in ours and ("#in-a-div", "In a div") in ours


def test_headings_outside_sections_are_read_as_such(tmp_path: Path) -> None:
    one, two = _read(tmp_path, SECTIONS).chapters
    unsectioned = [h.id for chapter in (one, two) for h in chapter.headings if not h.sectioned]
    assert unsectioned == ["quoted", "in-a-list", "in-a-definition", "in-a-note"]
    assert [h.classes for h in one.headings if h.classes] == [("unlisted",), ("unnumbered",)]
    assert '<h2 id="quoted">Quoted</h2>' in one.html  # the heading itself stays as it was


def test_an_unlisted_chapter_leaves_the_contents_with_its_sections(tmp_path: Path) -> None:
    book = _read(tmp_path, "# Front {.unlisted .unnumbered}\n\n## Under it\n\n# Body\n\n"
                 "## Part\n")
    assert [entry.text for entry in shared.toc_entries(book)] == ["Body", "Part"]


def test_a_quoted_level_one_heading_neither_opens_nor_titles_a_chapter(tmp_path: Path) -> None:
    book = _read(tmp_path, "> # Said\n\nText.\n\n## Sub\n", title="Book")
    (chapter,) = book.chapters
    assert (chapter.has_own_title, chapter.title) == (False, "Book")
    assert [entry.text for entry in shared.toc_entries(book)] == ["Book", "Sub"]


def test_a_contents_list_counts_only_listed_headings(tmp_path: Path) -> None:
    assert not shared.needs_toc(_read(tmp_path, "# One\n\n> ## Quoted\n"))
    assert shared.needs_toc(_read(tmp_path, "# One\n\n## Listed\n"))


def test_numbers_skip_headings_outside_sections_as_pandoc_does(tmp_path: Path) -> None:
    text = "# One\n\n> ## Quoted\n\n## Two\n\n- x\n\n  ## Listed\n\n## Three\n"
    config = one_chapter_book(tmp_path, text, number_sections=True)
    (chapter,) = crossref.resolve(reader.read(config), config).chapters
    assert [h.text for h in chapter.headings] == ["1 One", "Quoted", "1.1 Two", "Listed",
                                                  "1.2 Three"]
    assert '<h2 id="quoted">Quoted</h2>' in chapter.html


HEADINGS = """\
# Math $x^2$ and $$E$$

## Cite [@key, p. 3] and @other says

## An ![image *described*](x.png) and `code`

## A note^[Dropped.] a [link](http://x.org) and <b>raw</b> [span]{.smallcaps}
"""


def test_heading_ids_and_texts_as_pandoc_makes_them(tmp_path: Path) -> None:
    config = one_chapter_book(tmp_path, HEADINGS)
    shutil.copy(PROJECTS / "english" / "manuscript" / "images" / "editions.png",
                config.manuscript / "x.png")
    (chapter,) = reader.read(config).chapters
    pandoc = lxml.html.fragment_fromstring(pandoc_html(HEADINGS), create_parent="div")
    assert [h.id for h in chapter.headings] == [h.get("id") for h in pandoc.iter("h1", "h2")]
    # the contents' text: a formula as TeX, an image by its description; no citation (it is
    # formatted after reading), no note
    assert [h.text for h in chapter.headings] == [
        "Math x^2 and E", "Cite and says", "An image described and code",
        "A note a link and raw span"]


def test_a_heading_without_text_is_left_out_with_a_warning(tmp_path: Path) -> None:
    book = _read(tmp_path, "# One\n\n## \n\n#\n\n## Under the empty one\n\n"
                 "## {.unlisted}\n\n> ##\n")
    assert [entry.text for entry in shared.toc_entries(book)] == ["One", "Under the empty one"]
    where = tmp_path / "manuscript" / "ch.md"
    message = ("warning: heading without text — the contents leave it out (an EPUB's contents "
               "entry must have words); write its text, or mark it {.unlisted}")
    assert _warnings(book) == [f"{where}:3:1: {message}", f"{where}:5:1: {message}"]


SETEXT = """\
Para
Title
===

> Two
> lines
> ===

One line
===

> Quoted
> ---

Text
* * *

- An item
***
"""


def test_setext_headings_are_one_line_and_rules_need_a_blank_line(tmp_path: Path) -> None:
    """``Two\\nlines\\n===`` is a paragraph in Pandoc, not a heading of two lines."""
    ours, pandoc = same_shape(SETEXT, tmp_path, "h1", "h2", "p", "hr", "li")
    assert ours == pandoc
    assert ("p", "Two lines ===") in ours and ("h1", "One line") in ours


# ---- duplicate ids -----------------------------------------------------------------------

def _warnings(book: Book) -> list[str]:
    return [str(w) for chapter in book.chapters for w in chapter.warnings]


def _duplicate(where: str, wanted: str, first: str, given: str) -> str:
    return (f"{where}: warning: duplicate identifier '{wanted}' (also at {first}) — this "
            f"heading gets the id '{given}', links to #{wanted} go to the other; give one of "
            "them another id")


def test_a_written_id_taken_before_is_a_warning_at_it(tmp_path: Path) -> None:
    book = _read(tmp_path, "# A {#x}\n\n## B {#x}\n\n## A\n\n## C {#a}\n")
    where = tmp_path / "manuscript" / "ch.md"
    assert [h.id for h in book.chapters[0].headings] == ["x", "x-1", "a", "a-1"]
    assert _warnings(book) == [_duplicate(f"{where}:3:7", "x", "line 1", "x-1"),
                               _duplicate(f"{where}:7:7", "a", "line 5", "a-1")]


def test_auto_ids_taken_before_are_made_unique_silently(tmp_path: Path) -> None:
    book = _read(tmp_path, "# A\n\n## A\n\n## B {#b-1}\n\n## B\n")
    assert [h.id for h in book.chapters[0].headings] == ["a", "a-1", "b-1", "b"]
    assert _warnings(book) == []


def test_a_duplicate_across_files_names_the_first_file(tmp_path: Path) -> None:
    book = _read(tmp_path, "# One {#x}\n", "Some text.\n\nTwo\n===\n\n## Sub {.c #x}\n\n"
                 "[back](#x)\n")
    where = tmp_path / "manuscript" / "ch2.md"
    assert _warnings(book) == [_duplicate(f"{where}:6:12", "x", "ch.md:1", "x-1")]
    # links to #x go to the first heading, as in Pandoc (the first element with the id)
    pages = links.resolve({f"{c.id}.xhtml": c.html for c in book.chapters})
    assert 'href="ch01.xhtml#x">back</a>' in pages["ch03.xhtml"]


def test_headings_step_around_the_ids_of_other_elements(tmp_path: Path) -> None:
    """Pandoc gives ``# Intro`` the id of ``::: {#intro}``: epubcheck's "Duplicate ID"."""
    book = _read(tmp_path, "# One\n\n::: {#intro}\nx\n:::\n\n## Intro\n\n[s]{#s}\n\n"
                 "```{#code .python}\npass\n```\n\n## S\n\n## Code {#code}\n",
                 '# Two\n\n<p id="raw">Raw.</p>\n\n## Raw\n\nA <a id="inline">b</a>.\n\n'
                 "## Inline\n")
    one, two = book.chapters
    assert [h.id for h in (*one.headings, *two.headings)] == [
        "one", "intro-1", "s-1", "code-1", "two", "raw-1", "inline-1"]
    where = tmp_path / "manuscript" / "ch.md"
    assert _warnings(book) == [_duplicate(f"{where}:17:10", "code", "line 11", "code-1")]


# ---- the PDF outline ---------------------------------------------------------------------

def test_the_outline_leaves_out_what_the_contents_leave_out() -> None:
    headings = (Heading(1, "One", "one"), Heading(2, "Quoted", "q", sectioned=False),
                Heading(2, "Hidden", "h", ("unlisted",)), Heading(3, "Under", "u"),
                Heading(2, "Note and “quotes”", "n"))
    html = ('<h1 id="one">One</h1><blockquote><h2 id="q">Quoted</h2></blockquote>'
            '<h2 id="h" class="unlisted" style="color: red">Hidden</h2><h3 id="u">Under</h3>'
            '<h2 id="n">Note<sup class="footnote-ref"><a href="#fn1">1</a></sup> and “quotes”'
            '</h2><h2 id="other">Not a heading of the chapter</h2>')
    assert outline.bookmarks(html, headings) == (
        '<h1 id="one">One</h1><blockquote><h2 id="q" style="bookmark-level: none">Quoted</h2>'
        '</blockquote><h2 id="h" class="unlisted" style="bookmark-level: none; color: red">'
        'Hidden</h2><h3 id="u" style="bookmark-level: none">Under</h3>'
        '<h2 id="n" style="bookmark-label: &quot;Note and “quotes”&quot;">Note<sup '
        'class="footnote-ref"><a href="#fn1">1</a></sup> and “quotes”</h2>'
        '<h2 id="other">Not a heading of the chapter</h2>')


# ---- toc-depth -----------------------------------------------------------------------------

def test_toc_depth_is_one_to_three(tmp_path: Path) -> None:
    manuscript = tmp_path / "manuscript"
    manuscript.mkdir()
    (manuscript / "ch.md").write_text("# One\n", encoding="utf-8")
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    toml = ('title = "T"\nauthors = []\nlanguage = "en"\nchapters = ["ch.md"]\n'
            'bibliography = "refs.json"\ncsl = "apa"\n')
    (manuscript / "book.toml").write_text(toml, encoding="utf-8")
    assert config.load(tmp_path).toc_depth is None
    for good in (1, 3):
        (manuscript / "book.toml").write_text(toml + f"toc-depth = {good}\n", encoding="utf-8")
        assert config.load(tmp_path).toc_depth == good
    for bad in ("0", "4", "true", '"2"'):
        (manuscript / "book.toml").write_text(toml + f"toc-depth = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            config.load(tmp_path)
        assert [str(d) for d in caught.value.diagnostics] == [
            f"{manuscript / 'book.toml'}:7:1: error: bad value for 'toc-depth' — it must be 1, "
            "2 or 3 (the heading levels the contents list: 1 chapters, 2 and their sections, 3 "
            "and their subsections)"]


CITED_HEADINGS = """\
# Intro [@knuth1984]

## Cite [@knuth1984] and @lamport1994 says

## Note [@knuth1984].
"""
CITED_REFERENCES = """[
{"id": "knuth1984", "type": "book", "title": "The TeXbook", "publisher": "Addison-Wesley",
 "author": [{"family": "Knuth", "given": "Donald E."}], "issued": {"date-parts": [[1984]]}},
{"id": "lamport1994", "type": "book", "title": "LaTeX", "publisher": "Addison-Wesley",
 "author": [{"family": "Lamport", "given": "Leslie"}], "issued": {"date-parts": [[1994]]}}
]"""


@pytest.mark.parametrize(("style", "expected"), [
    ("chicago-author-date", ["1 Intro (Knuth 1984)", "1.1 Cite (Knuth 1984) and Lamport "
                             "(1994) says", "1.2 Note (Knuth 1984)."]),
    # a note style's citation is a note, which Pandoc's contents drop; a narrative one's
    # author stays in the sentence
    ("chicago-notes-bibliography", ["1 Intro", "1.1 Cite and Leslie Lamport says",
                                    "1.2 Note."])])
def test_the_contents_show_a_heading_s_citations_as_pandoc_s_do(
        tmp_path: Path, style: str, expected: list[str]) -> None:
    """``pandoc --toc --citeproc`` lists "Cite (Knuth 1984) and Lamport (1994) says" (as
    text: no link in the contents' link); the chapter title and the numbers go with it."""
    settings = one_chapter_book(tmp_path, CITED_HEADINGS, csl=style, number_sections=True)
    (settings.manuscript / "refs.json").write_text(CITED_REFERENCES, encoding="utf-8")
    book = citations.resolve(crossref.resolve(reader.read(settings), settings), settings)
    (chapter, *_) = book.chapters
    assert [h.text for h in chapter.headings][:3] == expected
    assert chapter.title == expected[0].removeprefix("1 ")
    assert [entry.text for entry in shared.toc_entries(book)][:3] == expected
