"""Pandoc's four kinds of tables and their captions, read as pandoc reads them.

Each case goes through pandoc (the oracle) and through kzpublish's reader; the tables'
shapes — caption, column widths, header and body cells with their alignment, and the
blocks inside grid cells — must be equal. Most cases are the examples of pandoc's manual
("Tables"). Pandoc 2 keeps ``{#tbl:x}`` in the caption's text (pandoc-crossref takes it);
kzpublish puts the id on the table, so that is asserted apart from the oracle.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import lxml.html
import pytest

from kzpublish import reader, table_layout
from tests.conftest import one_chapter_book
from tests.pandoc_oracle import kzpublish_html, pandoc_html, same_shape

_TAGS = ("table", "caption", "col", "th", "td", "p", "ul", "ol", "li", "em", "strong")
_ID_IN_CAPTION = re.compile(r"\s*\{#[^}]*\}")

SIMPLE = """\
  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123
      1     1          1             1

Table:  Demonstration of simple table syntax.
"""

SIMPLE_HEADLESS = """\
-------     ------ ----------   -------
     12     12        12             12
    123     123       123           123
      1     1          1              1
-------     ------ ----------   -------
"""

SIMPLE_CLOSED = """\
: Measures *before* the table {#tbl:measures}

 Name    Value   Unit
------ -------- -----
 a     **1.5**  m
 bb       20    kg
------ -------- -----

After.
"""

SIMPLE_INDENTED = """\
    Right     Left     Center     Default
  -------     ------ ----------   -------
       12     12        12            12
      123     123       123          123

  :  A header line indented as code is still the table's, as in pandoc.
"""

MULTILINE = """\
-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here is another one. Note
                                    the blank line between
                                    rows.
-------------------------------------------------------------

Table: Here is the caption. It, too, may span
multiple lines.
"""

MULTILINE_HEADLESS = """\
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here is another one. Note
                                    the blank line between
                                    rows.
----------- ------- --------------- -------------------------

: Here is a multiline table without a header.
"""

MULTILINE_WIDE = """\
----  ------------------------------------------------------------------------------------
a     a long cell of a table wider than the seventy-two columns pandoc sets its widths by

b     another
----  ------------------------------------------------------------------------------------
"""

MULTILINE_EVENED = """\
----  ----  ----
a     b     c

d     e     f
----  ----  ----
"""

GRID = """\
: Sample grid table.

+---------------+---------------+--------------------+
| Fruit         | Price         | Advantages         |
+===============+===============+====================+
| Bananas       | $1.34         | - built-in wrapper |
|               |               | - bright color     |
+---------------+---------------+--------------------+
| Oranges       | $2.10         | - cures scurvy     |
|               |               | - tasty            |
+---------------+---------------+--------------------+
"""

GRID_ALIGNED = """\
+---------------+---------------+--------------------+
| Right         | Left          | Centered           |
+==============:+:==============+:==================:+
| Bananas       | $1.34         | built-in wrapper   |
+---------------+---------------+--------------------+
"""

GRID_HEADLESS = """\
+--------------:+:--------------+:------------------:+
| Right         | Left          | Centered           |
+---------------+---------------+--------------------+

Table: A grid table without a header {#tbl:grid}
"""

GRID_BLOCKS = """\
+-----------+--------------------------+
| para      | 1. first                 |
|           | 2. second                |
| more      |                          |
|           |    indented *in* item    |
+-----------+--------------------------+
| *x*       | > quoted                 |
+-----------+--------------------------+
"""

PIPE = """\
| Right | Left | Default | Center |
|------:|:-----|---------|:------:|
|   12  |  12  |    12   |    12  |
|  123  |  123 |   123   |   123  |

: Demonstration of pipe table syntax. {#tbl:pipe}
"""

PIPE_WIDE = """\
| Typeface | Designer | Characteristic features and the longest words of all in this table |
|:---------|:---------|:-------------------------------------------------------------|
| Garamond | Claude   | Old-style [@moxon1683]                                       |
"""

TWO_TABLES = """\
  A   B
 --- ---
  1   2

: belongs to the first table

  C   D
 --- ---
  3   4

Table: second table's own caption, after it
"""

CAPTION_BEFORE_WINS = """\
Table: first

  A   B
 --- ---
  1   2

Table: not a caption
"""


CASES = {
    "simple": SIMPLE, "simple-headless": SIMPLE_HEADLESS, "simple-closed": SIMPLE_CLOSED,
    "simple-indented": SIMPLE_INDENTED, "multiline": MULTILINE,
    "multiline-headless": MULTILINE_HEADLESS, "multiline-wide": MULTILINE_WIDE,
    "multiline-evened": MULTILINE_EVENED, "grid": GRID, "grid-aligned": GRID_ALIGNED,
    "grid-headless": GRID_HEADLESS, "grid-blocks": GRID_BLOCKS, "pipe": PIPE,
    "pipe-wide": PIPE_WIDE, "two-tables": TWO_TABLES, "caption-before-wins": CAPTION_BEFORE_WINS,
}


@pytest.mark.parametrize("markdown", CASES.values(), ids=CASES.keys())
def test_tables_read_as_pandoc_reads_them(markdown: str, tmp_path: Path) -> None:
    ours = table_shape(kzpublish_html(markdown, tmp_path))
    theirs = table_shape(pandoc_html(markdown))
    assert ours == theirs
    assert any(tag == "table" for tag, _, _ in ours)


def table_shape(html: str) -> list[tuple[str, str, str]]:
    """(tag, text, style) of the table elements, styles in one spelling; text outside
    tables left out (pandoc's Table: paragraphs and ours are then compared as text)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for citation in root.xpath('//span[@class="citation"]'):
        citation.drop_tree()  # pandoc's unresolved [@key]; ours is an empty marker
    shapes = []
    for element in root.iter(*_TAGS):
        if element.tag != "table" and not _in_table(element) and element.tag != "p":
            continue
        text = re.sub(r"\s+", " ", element.text_content()).strip().replace("\u2019", "'")
        text = _ID_IN_CAPTION.sub("", text)
        shapes.append((str(element.tag), text, _style(element.get("style"))))
    return shapes


def _in_table(element: lxml.html.HtmlElement) -> bool:
    return any(ancestor.tag == "table" for ancestor in element.iterancestors())


def _style(style: str | None) -> str:
    return re.sub(r"\s+", "", style or "").rstrip(";")


def _random_table(rnd: random.Random) -> str:
    """A simple or multiline table (with or without header) of random column geometry, each
    cell placed left, right, centered or overhanging over its dashes."""
    widths = [rnd.randint(4, 12) for _ in range(rnd.randint(2, 4))]
    gaps = [rnd.randint(1, 3) for _ in widths]
    dashed = "".join("-" * w + " " * g for w, g in zip(widths, gaps, strict=True)).rstrip()

    def line() -> str:
        cells = []
        for width, gap in zip(widths, gaps, strict=True):
            word = rnd.choice(["a", "bb", "ccc", "12.5", "x y", "long word"])[:width]
            left = rnd.choice([0, width - len(word), (width - len(word)) // 2, 1])
            cells.append((" " * left + word).ljust(width) + " " * gap)
        return "".join(cells).rstrip()

    rows = [[line(), line()] for _ in range(rnd.randint(2, 3))]
    return "\n".join(rnd.choice([
        [line(), dashed, *[row[0] for row in rows]],
        [dashed, *[row[0] for row in rows], dashed],
        ["-" * len(dashed), line(), line(), dashed, *["\n".join(row) + "\n" for row in rows],
         "-" * len(dashed)],
        [dashed, *["\n".join(row) + "\n" for row in rows], dashed],
    ])) + "\n"


def test_random_tables_read_as_pandoc_reads_them(tmp_path: Path) -> None:
    rnd = random.Random(14)
    for number in range(12):
        markdown = _random_table(rnd)
        ours = table_shape(kzpublish_html(markdown, tmp_path / str(number)))
        assert ours == table_shape(pandoc_html(markdown)), markdown
        assert ours[0][0] == "table", markdown


def test_caption_ids_go_on_the_table(tmp_path: Path) -> None:
    ids = {}
    for name, markdown in (("measures", SIMPLE_CLOSED), ("grid", GRID_HEADLESS),
                           ("pipe", PIPE)):
        root = lxml.html.fragment_fromstring(kzpublish_html(markdown, tmp_path / name),
                                             create_parent="div")
        table = root.find(".//table")
        ids[name] = (table.get("id"), table.find("caption").text_content())
    assert ids == {"measures": ("tbl:measures", "Measures before the table"),
                   "grid": ("tbl:grid", "A grid table without a header"),
                   "pipe": ("tbl:pipe", "Demonstration of pipe table syntax.")}
    assert "<caption>Measures <em>before</em> the table</caption>" in \
        kzpublish_html(SIMPLE_CLOSED, tmp_path / "again")


CITED = """\
Table: Prices [@eisenstein1979, p. 3] {#tbl:prices}

 Item    Source
------ ---------------------
 a      @bringhurst2004
 b      [see @knuth1981]

+------------------+
| [@moxon1683]     |
+------------------+

-------- ---------------
 c
          [@fournier1764]

 d        e
-------- ---------------
"""


def test_citations_in_captions_and_cells_are_numbered_in_order(tmp_path: Path) -> None:
    book = reader.read(one_chapter_book(tmp_path, CITED))
    chapter = book.chapters[0]
    cited = [(item.key, item.pos.line, item.pos.col)
             for citation in chapter.citations for item in citation.items]
    assert cited == [("eisenstein1979", 1, 16), ("bringhurst2004", 5, 9),
                     ("knuth1981", 6, 14), ("moxon1683", 9, 4), ("fournier1764", 14, 12)]
    assert chapter.html.count("<kz-cite") == 5
    assert table_shape(chapter.html) == table_shape(pandoc_html(CITED))
    pandoc = lxml.html.fragment_fromstring(pandoc_html(CITED), create_parent="div")
    assert [span.get("data-cites") for span in pandoc.iter("span")] == \
        [key for key, _, _ in cited]


def test_headings_rules_and_paragraphs_stay_what_they_are(tmp_path: Path) -> None:
    markdown = "Title\n-----\n\n---\ntitle: x\n---\n\nA   B\n--- ---\n\nText.\n"
    html = kzpublish_html(markdown, tmp_path)
    assert "<table" not in html and "<h2" in html
    assert "<table" not in pandoc_html("Title\n-----\n\nA   B\n--- ---\n\nText.\n")


MISALIGNED_GRID = """\
Intro.

+--------+--------+
| one    | two    |
| three     | four|
+--------+--------+
"""


def test_a_misaligned_grid_line_is_read_as_pandoc_does_with_a_warning(tmp_path: Path) -> None:
    chapter = reader.read(one_chapter_book(tmp_path, MISALIGNED_GRID)).chapters[0]
    assert [(w.pos.file.name, w.pos.line, w.severity) for w in chapter.warnings] == \
        [("ch.md", 5, "warning")]
    assert "spanning" in chapter.warnings[0].message
    assert table_shape(chapter.html) == table_shape(pandoc_html(MISALIGNED_GRID))
    assert [text for tag, text, _ in table_shape(chapter.html) if tag == "td"] == \
        ["one three", "two | four"]


def test_an_unclosed_grid_table_warns_and_stays_text(tmp_path: Path) -> None:
    markdown = "Intro.\n\n+----+\n| a  |\n\nText.\n"
    chapter = reader.read(one_chapter_book(tmp_path, markdown)).chapters[0]
    assert [w.pos.line for w in chapter.warnings] == [4]
    assert "<table" not in chapter.html and "| a" in chapter.html and "Text." in chapter.html


def test_a_second_header_separator_warns_and_stays_text(tmp_path: Path) -> None:
    markdown = "+---+\n| a |\n+===+\n| b |\n+===+\n| c |\n+---+\n"
    chapter = reader.read(one_chapter_book(tmp_path, markdown)).chapters[0]
    assert [w.pos.line for w in chapter.warnings] == [5]
    assert all(letter in chapter.html for letter in "abc")


def test_footers_and_unclosed_tables_as_pandoc_reads_them(tmp_path: Path) -> None:
    """A closing dashed line needs no blank line after it; a multiline table without one
    is read, as by pandoc, as a one-column table of its header (nothing lost either way)."""
    for name, markdown in (
            ("unclosed", "Intro.\n\n-----------\nName  Value\n----- -----\na     1\n\nText.\n"),
            ("footers", "-----\nfoo\n-----\nbar\n\nA  B\n-- --\n1  2\n-- --\nbaz\n"),
            ("multiline", "----------\nfoo   x\n----- -----\nbar   y\n----------\nbaz\n")):
        html = kzpublish_html(markdown, tmp_path / name)
        assert table_shape(html) == table_shape(pandoc_html(markdown)), name
        assert "<table" in html, name


def test_layout_widths_are_pandoc_fractions() -> None:
    layout = table_layout.read(MULTILINE_HEADLESS.splitlines())
    assert layout is not None
    assert [round(width * 72) for width in layout.widths] == [12, 8, 16, 26]
    assert layout.length == 8 and layout.header == ()
    assert layout.aligns == ("center", "left", "right", "left")


CODE_PIPES = """\
| Syntax | Meaning |
|--------|---------|
| `a|b`  | either  |
| ``x | `y` `` | two ticks |
| `r\\|s` | escaped |
| plain \\| pipe | text |

Not a table: `c|d` and a | b.
"""


def test_a_pipe_inside_code_in_a_pipe_table_is_code(tmp_path: Path) -> None:
    """Pandoc reads ``| `a|b` | either |`` as two cells; markdown-it split the code, and
    the row's last cell ("either") fell off the table."""
    ours, pandoc = same_shape(CODE_PIPES, tmp_path, "td", "th", "code", "p")
    assert ours == pandoc
    assert ("td", "either") in ours and ("code", "a|b") in ours


def test_cells_beyond_the_header_are_a_warning_at_their_row(tmp_path: Path) -> None:
    """Pandoc and markdown-it both leave them out; the author is told, at the row."""
    markdown = ("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| `p|q` | x |\n| 4 | 5 | |\n\n"
                "> | a |\n> |---|\n> | 1 | lost |\n")
    ours, pandoc = same_shape(markdown, tmp_path, "td", "th")
    assert ours == pandoc
    chapter = reader.read(one_chapter_book(tmp_path, markdown)).chapters[0]
    assert [(w.pos.line, w.message) for w in chapter.warnings] == [
        (3, "table row has 3 cells, its header 2: '3' is left out — add a column to the "
            "header, or join the cells"),
        (9, "table row has 2 cells, its header 1: 'lost' is left out — add a column to the "
            "header, or join the cells")]
