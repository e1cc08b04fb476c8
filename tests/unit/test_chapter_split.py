"""A file's level-1 headings open chapters, as Pandoc's EPUB and a book's PDF have them
(markdown/chapters.py): the notes go with their calls, ids and numbers stay the file's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import lxml.html

from kzpublish import reader
from kzpublish.writers import links
from tests.conftest import one_chapter_book
from tests.pandoc_oracle import pandoc_html, shape

NOVEL = """\
# One {#one}

Text[^a] and ^[an inline note], see [Two] and [Deep].

# Two

Then.[^b] Back to [the start](#one) [@x].

## Deep

::: aside
# Not a chapter

In a div.
:::

[^a]: Note a[^c].
[^b]: Note b [@y].
[^c]: A note a note calls.
"""


def _read(tmp_path: Path, text: str, *more: str) -> reader.Book:
    settings = one_chapter_book(tmp_path, text)
    for number, extra in enumerate(more, start=2):
        (settings.manuscript / f"ch{number}.md").write_text(extra, encoding="utf-8")
    names = (*settings.chapters, *(Path(f"ch{n}.md") for n in range(2, len(more) + 2)))
    return reader.read(replace(settings, chapters=names))


def test_each_level_one_heading_opens_a_chapter_and_ids_run_on(tmp_path: Path) -> None:
    book = _read(tmp_path, NOVEL, "# Next file\n\nText.\n")
    assert [(c.id, c.title, c.has_own_title) for c in book.chapters] == [
        ("ch01", "One", True), ("ch02", "Two", True), ("ch03", "Next file", True)]
    assert [h.id for h in book.chapters[1].headings] == ["two", "deep", "not-a-chapter"]
    assert "<h1 id=\"not-a-chapter\">Not a chapter</h1>" in book.chapters[1].html


def test_notes_go_with_their_calls_numbered_through_the_file(tmp_path: Path) -> None:
    one, two = _read(tmp_path, NOVEL).chapters
    # a, the inline note, then c, which a calls: markdown-it numbers c after the text's b
    assert _notes(one.html) == ["fn-ch01-1", "fn-ch01-2", "fn-ch01-4"]
    assert _notes(two.html) == ["fn-ch01-3"]
    assert 'role="doc-noteref">3</a>' in two.html and "Note b" in two.html
    assert "Note b" not in one.html and "A note a note calls" in one.html


def test_citations_are_numbered_chapter_by_chapter(tmp_path: Path) -> None:
    one, two = _read(tmp_path, NOVEL).chapters
    assert one.citations == ()
    assert [(c.number, c.items[0].key) for c in two.citations] == [(1, "x"), (2, "y")]


def test_heading_links_reach_across_the_file_s_chapters(tmp_path: Path) -> None:
    one, two = _read(tmp_path, NOVEL).chapters
    resolved = links.resolve({"one.xhtml": one.html, "two.xhtml": two.html})
    assert 'href="two.xhtml#two">Two</a>' in resolved["one.xhtml"]
    assert 'href="two.xhtml#deep">Deep</a>' in resolved["one.xhtml"]
    assert 'href="one.xhtml#one">the start</a>' in resolved["two.xhtml"]


def test_text_before_the_first_heading_is_a_chapter_of_its_own(tmp_path: Path) -> None:
    book = _read(tmp_path, "---\ntitle: Prologue\n---\n\nBefore.\n\n# One\n\nText.\n")
    assert [(c.title, c.has_own_title) for c in book.chapters] == [("Prologue", False),
                                                                  ("One", True)]
    assert "Before." in book.chapters[0].html and "Before." not in book.chapters[1].html


def test_a_metadata_block_alone_stays_with_the_first_chapter(tmp_path: Path) -> None:
    book = _read(tmp_path, "---\nabstract: x\n---\n\n# One\n\nText.\n\n# Two\n")
    assert [c.title for c in book.chapters] == ["One", "Two"]


def test_a_file_with_one_heading_is_one_chapter_as_before(tmp_path: Path) -> None:
    book = _read(tmp_path, "Text before.\n\n## Section\n\nMore.[^1]\n\n[^1]: N.\n")
    (chapter,) = book.chapters
    assert chapter.title == "T" and not chapter.has_own_title and _notes(chapter.html)


def _notes(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('<aside class="footnote" id="')[1:]]


def test_with_lists_per_chapter_a_refs_heading_ends_its_chapter(tmp_path: Path) -> None:
    settings = one_chapter_book(tmp_path, "# One\n\nText.\n\n# References {#refs}\n\n# Two\n",
                                references_per_chapter=True)
    one, two = reader.read(settings).chapters
    assert [h.id for h in one.headings] == ["one", "refs"] and two.title == "Two"


def test_with_lists_per_chapter_a_refs_in_a_chapter_citing_nothing_is_a_warning(
        tmp_path: Path) -> None:
    """Its list is the chapter's own, so empty: a file ``# References {#refs}`` of its own
    made an empty chapter (and its own EPUB document) without a word."""
    settings = one_chapter_book(tmp_path, "# One\n\nText [@a].\n\n# References {#refs}\n",
                                references_per_chapter=True)
    (chapter,) = reader.read(settings).chapters
    assert chapter.warnings == ()
    (settings.manuscript / "ch.md").write_text("# References {#refs}\n", encoding="utf-8")
    (chapter,) = reader.read(settings).chapters
    assert [(w.pos.line, w.pos.col, w.message.split(":")[0]) for w in chapter.warnings] == [
        (1, 15, "this chapter cites nothing, and with references-per-chapter the list at {#refs} "
                "is the chapter's own")]


def test_headings_and_link_definitions_are_labels_in_every_file(tmp_path: Path) -> None:
    """Pandoc reads the files as one document: ``[Later]`` links to a heading of the next
    file, and a reference definition of one file serves another."""
    book = _read(tmp_path, "# First\n\nSee [Later] and [the site].\n",
                 "# Later\n\nBack to [First]; [the site].\n\n[the site]: https://example.org\n")
    first, later = book.chapters
    assert '<a href="#later">Later</a>' in first.html
    assert '<a href="https://example.org">the site</a>' in first.html
    assert '<a href="#first">First</a>' in later.html


def test_a_file_s_own_heading_wins_over_another_s(tmp_path: Path) -> None:
    book = _read(tmp_path, "# Intro\n\nSee [Intro].\n", "# Intro\n\nSee [Intro].\n")
    assert '<a href="#intro">Intro</a>' in book.chapters[0].html
    assert '<a href="#intro-1">Intro</a>' in book.chapters[1].html


def test_a_citation_before_the_first_heading_opens_a_chapter(tmp_path: Path) -> None:
    """The opening text is asked whether it shows anything before its citations are
    numbered: a citation there once crashed the build (KeyError 'number')."""
    book = _read(tmp_path, "As @x says.\n\n# One\n\nText [@y].\n")
    assert [c.title for c in book.chapters] == ["T", "One"]
    assert [(c.number, c.items[0].key) for ch in book.chapters for c in ch.citations] == [
        (1, "x"), (2, "y")]


def test_a_heading_inside_a_raw_html_element_opens_no_chapter(tmp_path: Path) -> None:
    """``<div>`` … ``</div>`` around Markdown is one element, as a fenced div is: cutting
    inside it left ``<div>`` open in one chapter and a stray ``</div>`` in the next."""
    book = _read(tmp_path, '# A\n\n<div class="x">\n\n# Inner\n\nBody.\n\n</div>\n\n'
                           "<br>\n\n<!-- a <div> in a comment -->\n\n<p>left open\n\n"
                           "<style>p<em {}</style>\n\n# C\n")
    assert [c.title for c in book.chapters] == ["A", "C"]
    first, last = (chapter.html for chapter in book.chapters)
    assert '<div class="x">' in first and "Body." in first and "</div>" in first
    assert "</div>" not in last


def test_a_note_defined_in_another_file_is_the_calling_file_s(tmp_path: Path) -> None:
    """Pandoc reads the files as one document: ``[^x]`` called in one file and defined in
    the next is a note where it is called; it printed as ``[^x]`` and its text was lost."""
    one, two = _read(tmp_path, "# One\n\nCall.[^x] Own.[^y]\n\n[^y]: Mine.\n",
                     "# Two\n\nText.[^z]\n\n[^x]: Defined in two [@k], [a][nowhere].\n\n"
                     "[^z]: Z.\n").chapters
    assert "[^x]" not in one.html and "Defined in two" in one.html
    assert _notes(one.html) == ["fn-ch01-1", "fn-ch01-2"] and "Z." not in one.html
    assert _notes(two.html) == ["fn-ch02-1"] and "Defined in two" not in two.html
    (cite,) = one.citations
    assert (cite.number, cite.items[0].pos.file.name, cite.items[0].pos.line) == (1, "ch2.md", 5)
    warnings = [(w.pos.file.name, w.pos.line) for c in (one, two) for w in c.warnings]
    assert warnings == [("ch2.md", 5)]  # the unread link, once, where it is written


def test_a_comment_or_a_page_break_before_the_first_heading_is_no_chapter(
        tmp_path: Path) -> None:
    """Nothing a reader sees: a chapter of them would be a blank right-hand page with the
    book's title. They go with the first chapter."""
    book = _read(tmp_path, "<!-- draft 3 -->\n\n\\newpage\n\n# One\n\nText.\n\n# Two\n",
                 "\\newpage\n\n# Three\n\nText.\n\n\\newpage\n\nMore.\n")
    assert [c.title for c in book.chapters] == ["One", "Two", "Three"]
    assert "<!-- draft 3 -->" in book.chapters[0].html
    # a chapter opens a new page already: a break before its heading would leave one blank
    assert [c.html.count("pagebreak") for c in book.chapters] == [0, 0, 1]



def test_example_lists_number_on_across_files_as_pandoc_reads_them(tmp_path: Path) -> None:
    """Pandoc reads ``a.md b.md`` as one document: the second file's ``(@)`` goes on from
    the first's last number, and ``@label`` finds an example of an earlier or a later
    file. Each file started again at (1), and ``@later`` was an unknown citation."""
    first = "# A\n\n(@) One.\n(@lbl) Two.\n\nSee @lbl and @later.\n"
    second = "# B\n\n(@) Three.\n(@later) Four.\n\nAgain @lbl.\n"
    book = _read(tmp_path, first, second)
    ours = "".join(chapter.html for chapter in book.chapters)
    pandoc = pandoc_html(first + "\n" + second)
    assert shape(ours, "ol", "p") == shape(pandoc, "ol", "p")
    assert [n.get("start") for n in lxml.html.fromstring(ours).iter("ol")] == [None, "3"]
    assert "<p>See 2 and 4.</p>" in ours and "<p>Again 2.</p>" in ours
    assert not [c for chapter in book.chapters for c in chapter.citations]
