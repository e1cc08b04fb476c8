"""Ids kzpublish writes itself (chapters, notes, citations, entries, pages) are never an
author's too: an auto id steps around them, a written one is renamed with a warning."""

from __future__ import annotations

from pathlib import Path

from kzpublish import own_ids, reader
from tests.conftest import one_chapter_book

BOOK = """\
# Introduction

Text [@smith2020] and a note.[^1]

# fn-ch01-1

# ch01

## ref-smith2020

## ref-jones

## cite-1

## Content

## Written {#cite-2}

::: {#toc-title}
A div.
:::

[^1]: The note.
"""


def test_auto_ids_step_around_kzpublish_s_and_written_ones_are_renamed(tmp_path: Path) -> None:
    book = reader.read(one_chapter_book(tmp_path, BOOK))
    ids = [h.id for chapter in book.chapters for h in chapter.headings]
    # a reference not cited (jones) keeps its id, as Pandoc's would be
    assert ids == ["introduction", "fn-ch01-1-1", "ch01-1", "ref-smith2020-1", "ref-jones",
                   "cite-1-1", "content-1", "cite-2-1"]
    assert [chapter.id for chapter in book.chapters] == ["ch01", "ch02", "ch03"]
    html = "".join(chapter.html for chapter in book.chapters)
    assert '<div id="toc-title-1">' in html
    warnings = [(w.pos.line, w.pos.col, w.message) for c in book.chapters for w in c.warnings]
    assert warnings == [
        (19, 6, "the id 'toc-title' is one kzpublish gives the contents' heading — this "
                "element gets the id 'toc-title-1' (links to #toc-title lead to "
                "kzpublish's); give it another id"),
        (17, 13, "the id 'cite-2' is one kzpublish gives a citation — this element gets "
                 "the id 'cite-2-1' (links to #cite-2 lead to kzpublish's); give it another "
                 "id")]


def test_raw_html_spans_and_code_blocks_yield_too(tmp_path: Path) -> None:
    text = ('# One\n\n[span]{#ch02} <b id="fnref-ch01-1">raw</b>\n\n'
            "```{#ref-a .python}\nx = 1\n```\n\nCited [@a].\n")
    (chapter,) = reader.read(one_chapter_book(tmp_path, text)).chapters
    assert '<span id="ch02-1">' in chapter.html
    assert '<b id="fnref-ch01-1-1">' in chapter.html
    assert 'id="ref-a-1"' in chapter.html
    assert [(w.pos.line, w.pos.col) for w in chapter.warnings] == [(3, 8), (3, 22), (5, 5)]


def test_kzpublish_s_ids_are_told_from_others() -> None:
    own = own_ids.Own(["smith2020", "a b"])
    assert [own.whose(ident) != "" for ident in (
        "ch01", "ch123", "fn-ch01-2", "fn-ch02-c3", "fnref-ch01-2", "fnref-ch01-2-1",
        "cite-7", "refs-ch04", "ref-smith2020", "ref-ch02-smith2020", "ref-a_b", "content",
        "toc-title", "lof-title", "lot-title")] == [True] * 15
    assert [own.whose(ident) for ident in (
        "ch1", "chapter", "fn-1", "fn-ch01-1-1", "cite-x", "ref-jones", "ref-ch02-jones",
        "refs", "contents")] == [""] * 9
    assert own_ids.Own(["*"]).whose("ref-jones") != ""  # nocite = "*": any may be listed
