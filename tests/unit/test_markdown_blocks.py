"""Pandoc's block constructs: line blocks, raw TeX (page breaks), raw blocks, a BOM."""

from __future__ import annotations

from pathlib import Path

from kzpublish import reader
from tests.conftest import one_chapter_book
from tests.markdown_oracle import same_attributes, warnings_of
from tests.pandoc_oracle import kzpublish_html, same_shape

LINE_BLOCK = """\
| The limerick packs laughs anatomical
|     Into *space* that is quite economical.
| But the good ones I have seen
  So seldom are clean
|
| — Anonymous

| a table? | no |
"""


def test_line_blocks_keep_lines_and_indents_as_pandoc(tmp_path: Path) -> None:
    ours, pandoc = same_shape(LINE_BLOCK, tmp_path, "div", "br", "em", "table")
    assert ours == pandoc
    html = kzpublish_html(LINE_BLOCK, tmp_path)
    assert "<br />\n\u00a0\u00a0\u00a0\u00a0Into <em>space</em>" in html
    assert "But the good ones I have seen So seldom are clean<br />" in html


def test_a_pipe_table_is_no_line_block(tmp_path: Path) -> None:
    markdown = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    ours, pandoc = same_shape(markdown, tmp_path, "div", "table", "td")
    assert ours == pandoc and ("td", "1") in ours


RAW_TEX = """\
Text.

\\newpage

\\vspace{1cm}

\\begin{figure}[h]
\\includegraphics{x.pdf}
\\end{figure}
After the figure.

\\clearpage{}

para
\\pagebreak
inline, so dropped
"""


def test_raw_tex_blocks_are_dropped_as_pandoc_drops_them(tmp_path: Path) -> None:
    ours, pandoc = same_shape(RAW_TEX, tmp_path, "p")
    assert ours == pandoc
    assert ("p", "After the figure.") in ours


def test_new_page_commands_become_page_breaks(tmp_path: Path) -> None:
    html = kzpublish_html(RAW_TEX, tmp_path)
    assert html.count('<div class="pagebreak"></div>') == 2


def test_every_dropped_raw_tex_is_a_warning_at_its_line(tmp_path: Path) -> None:
    found = [(line, message.split(" left out")[0]) for line, message
             in warnings_of(RAW_TEX, tmp_path)]
    assert found == [(5, "raw TeX '\\vspace{1cm}'"),
                     (7, "raw TeX '\\begin{figure}…\\end{figure}'"),
                     (15, "raw TeX '\\pagebreak'")]


def test_raw_blocks_html_kept_latex_dropped_with_a_warning(tmp_path: Path) -> None:
    markdown = "```{=html}\n<aside>raw</aside>\n```\n\n~~~ {=latex}\n\\foo\n~~~\n\nEnd.\n"
    ours, pandoc = same_shape(markdown, tmp_path, "aside", "pre", "code", "p")
    assert ours == pandoc == [("aside", "raw"), ("p", "End.")]
    [(line, message)] = warnings_of(markdown, tmp_path)
    assert line == 5 and message.startswith("raw latex block")


def test_a_byte_order_mark_does_not_hide_the_first_heading(tmp_path: Path) -> None:
    chapter = reader.read(one_chapter_book(tmp_path, "\ufeff# Title\n\nText.\n")).chapters[0]
    assert chapter.has_own_title and chapter.title == "Title"
    assert chapter.html.startswith('<h1 id="title">Title</h1>')


def test_markdown_inside_raw_html_is_a_warning(tmp_path: Path) -> None:
    markdown = "Text.\n\n<table>\n<tr><td>This is *emphasized*</td></tr>\n</table>\n\n" \
               "<script>x = '*not markdown*';</script>\n"
    [(line, message)] = warnings_of(markdown, tmp_path)
    assert line == 3 and message.startswith("Markdown inside raw HTML is not read ('*emph")


BLANK_BEFORE = """\
A paragraph
- runs on here
> and here
# and here.

- an item
  - with a sublist
  - right under it
    (a) and a fancy one
    (b) too

> quoted
> - a list needs a blank line in a quote too
"""


def test_lists_quotes_and_headings_need_a_blank_line_before_them(tmp_path: Path) -> None:
    ours, pandoc = same_shape(BLANK_BEFORE, tmp_path, "p", "ul", "ol", "li", "blockquote",
                              "h1")
    assert ours == pandoc
    assert ("p", "A paragraph - runs on here > and here # and here.") in ours


def test_fenced_div_attributes_as_pandoc(tmp_path: Path) -> None:
    markdown = "::: {#box .note .wide lang=ru role=note key=v}\nInside.\n:::\n\n" \
               "::: warning\nCareful.\n:::\n"
    ours, pandoc = same_attributes(markdown, tmp_path, "div", "id", "class", "lang", "role",
                                   "data-key")
    assert ours == pandoc == [{}, {"id": "box", "class": "note wide", "lang": "ru",
                                   "role": "note", "data-key": "v"}, {"class": "warning"}]


NESTED_DIVS = """\
::: {.outer}
Outer.

::: inner
Inner.
:::

```
:::
```
:::

::::: wide
Wide.

::: narrow
Narrow.
:::::
:::

::: never-closed
Text.
"""


def test_nested_fenced_divs_close_innermost_first_as_pandoc(tmp_path: Path) -> None:
    """A bare fence closes the innermost open div, whatever its length; colons in code
    close nothing; a fence never closed is text. The first ``:::`` closed the outer div,
    and the last one was printed as a paragraph."""
    ours, pandoc = same_shape(NESTED_DIVS, tmp_path, "div", "p", "pre")
    assert ours == pandoc
    assert ("div", "Outer. Inner. :::") in ours and ("p", ":::") not in ours
    assert ("p", "::: never-closed Text.") in ours


def test_heading_attributes_as_pandoc(tmp_path: Path) -> None:
    markdown = "# One {#first .intro}\n\n## Two {-}\n\n## Three {.a key=v lang=en}\n\n" \
               "## Four {not attributes}\n"
    ours, pandoc = same_shape(markdown, tmp_path, "h1", "h2")
    assert ours == pandoc
    assert same_attributes(markdown, tmp_path, "h2", "class", "data-key", "lang")[0] == [
        {"class": "unnumbered"}, {"class": "a", "data-key": "v", "lang": "en"}, {}]


HEADING_ENDS = """\
# Title {#id} ##

# Hashes ## {#after}

# Glued {#g}##

# C#

# X\\##

# Baz #\\#

# Escaped \\{#e}

# Late {#a} {#b}

# Span [s]{#span}

# Link [a](b) {#linked}

# ## {#empty}

Setext {#s} ##
===

Setext {#set}
---
"""


def test_heading_ends_closing_hashes_and_attributes_as_pandoc(tmp_path: Path) -> None:
    """Pandoc's ATX closing is ``#*``, spaces, then ``{attributes}``: braces before the
    hashes are text, hashes need no space before them, and an escaped brace or a span's
    or link's attributes are not the heading's."""
    ours, pandoc = same_shape(HEADING_ENDS, tmp_path, "h1", "h2", "span", "a")
    assert ours == pandoc
    ours_ids, pandoc_ids = same_attributes(HEADING_ENDS, tmp_path, "h1", "id")
    assert ours_ids == pandoc_ids
    assert [a["id"] for a in ours_ids][:4] == ["title-id", "after", "glued-g", "c"]


def test_heading_identifiers_as_pandoc_makes_them(tmp_path: Path) -> None:
    """auto_identifiers: ``_`` and ``.`` kept, leading digits dropped, smart dashes and
    ellipses gone, Cyrillic kept (pandoc's manual links #extension-auto_identifiers)."""
    headings = ["Extension: `auto_identifiers`", "Héllo wörld_x 1.2", "1. Intro",
                "Dogs?--in *my* house?", "Wait...", "Don't stop", "Глава 2. Итоги", "1999",
                "Intro"]
    markdown = "".join(f"## {text}\n\n" for text in headings)
    ours, pandoc = same_attributes(markdown, tmp_path, "h2", "id")
    assert ours == pandoc
    assert [a["id"] for a in ours][:3] == ["extension-auto_identifiers", "héllo-wörld_x-1.2",
                                           "intro"]


HTML_DIVS = """\
<div class="warning">
**Warning:** read *this*.
</div>

<DIV id="outer">
<div class="inner">
- a list
</div>
</DIV>

> <div>
> *quoted*
> </div>

After.
"""


def test_markdown_between_div_tag_lines_is_read_as_pandoc_reads_it(tmp_path: Path) -> None:
    """Pandoc's native_divs: the lines between ``<div …>`` and ``</div>`` are Markdown;
    they printed their asterisks, with a warning, unless blank lines stood around them."""
    tags = ("div", "p", "strong", "em", "ul", "li", "blockquote")
    ours, pandoc = same_shape(HTML_DIVS, tmp_path, *tags)
    assert ours == pandoc
    assert same_attributes(HTML_DIVS, tmp_path, "div", "id", "class")[0][1:] == [
        {"class": "warning"}, {"id": "outer"}, {"class": "inner"}, {}]
    assert warnings_of(HTML_DIVS, tmp_path) == []


def test_a_footnote_never_called_or_defined_twice_is_a_warning(tmp_path: Path) -> None:
    """markdown-it drops the one and replaces with the other silently; pandoc warns."""
    markdown = ("Text[^a] and[^b].\n\n[^a]: Used.\n\n[^b]: Called in a note[^c].\n\n"
                "[^c]: Nested.\n\n[^unused]: Never called.\n\n[^a]: Again.\n")
    assert warnings_of(markdown, tmp_path) == [
        (9, "footnote [^unused] is never called — its text is left out; call it with "
            "[^unused] or remove it"),
        (11, "footnote [^a] is defined again — this definition replaces the earlier one; "
             "give one of them another label")]


def test_a_warning_about_text_is_placed_at_its_column(tmp_path: Path) -> None:
    """The rules' warnings name the column where the text stands, not column 1."""
    text = "# One\n\nSee the [manual][nowhere] and \\cite{x}.\n"
    warnings = reader.read(one_chapter_book(tmp_path, text)).chapters[0].warnings
    places = sorted((w.pos.line, w.pos.col, w.message.split(" ")[0]) for w in warnings)
    assert places[0] == (3, 9, "'[manual][nowhere]'")
    assert places[1][:2] == (3, 31)  # the raw TeX left out, at its backslash
