"""Pandoc's own test Markdown (tests/data/pandoc) read by kzpublish and by pandoc, compared
section by section; where they differ on purpose or beyond the reader, a warning or
the reason is stated here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from kzpublish import reader
from tests.conftest import one_chapter_book
from tests.pandoc_oracle import kzpublish_html, pandoc_html, shape

SUITE = Path(__file__).parents[1] / "data" / "pandoc" / "testsuite.txt"
TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "pre", "ul", "ol", "li", "dl",
        "dt", "dd", "hr", "table", "em", "strong", "del", "sup", "sub", "code", "a", "img",
        "figure", "figcaption", "span")
# Sections whose output differs from pandoc's, and why.
DIFFERENT = {
    "Footnotes": "kzpublish writes notes as DPUB-ARIA asides (footnote_rules), not pandoc's list",
    "LaTeX": "TeX math is the math stage's; raw TeX left out is a warning (test below)",
    "HTML Blocks": "Markdown inside raw HTML is not read: a warning (test below)",
    "Links": "pandoc takes titles with unescaped quotes, CommonMark leaves those links as text:"
             " a warning (test below)",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book folder with the images the suite shows."""
    folder = tmp_path_factory.mktemp("suite")
    (folder / "manuscript").mkdir()
    for image in ("lalune.jpg", "movie.jpg"):  # real pictures: the reader reads them
        Image.new("RGB", (4, 3), "white").save(folder / "manuscript" / image, "JPEG")
    return folder


@pytest.fixture(scope="module")
def sections(folder: Path) -> dict[str, tuple[list, list]]:
    """Each level-1 section's shape: (kzpublish's, pandoc's without smart typography —
    quotes and dashes are kzpublish's typography stage, after the reader)."""
    markdown = SUITE.read_text(encoding="utf-8")
    ours = _by_section(shape(kzpublish_html(markdown, folder), *TAGS))
    theirs = _by_section(shape(pandoc_html(markdown, "-f", "markdown-smart"), *TAGS))
    assert ours.keys() == theirs.keys()
    return {title: (ours[title], theirs[title]) for title in ours}


def _by_section(elements: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {"": []}
    current = ""
    for tag, text in elements:
        if tag == "h1":
            current = text
            found[current] = []
        found[current].append((tag, text))
    return found


def test_the_suite_has_the_sections_this_test_names(sections: dict) -> None:
    assert len(sections) == 16 and set(DIFFERENT) <= set(sections)


def test_every_other_section_reads_as_pandoc_reads_it(sections: dict) -> None:
    for title, (ours, theirs) in sections.items():
        if title == "Inline Markup":
            # ***both*** nests as <em><strong> here, <strong><em> in pandoc: same text.
            ours, theirs = sorted(ours), sorted(theirs)
        if title not in DIFFERENT:
            assert ours == theirs, title


def test_what_the_reader_leaves_out_is_a_warning_at_its_line(folder: Path) -> None:
    text = SUITE.read_text(encoding="utf-8")
    lines = text.splitlines()
    chapter = reader.read(one_chapter_book(folder, text)).chapters[0]
    said = {(w.pos.line, w.message.split(" ")[0]) for w in chapter.warnings}
    tabular = next(n for n, line in enumerate(lines, 1) if line.startswith("\\begin{tabular}"))
    table = next(n for n, line in enumerate(lines, 1) if line == "<table>")
    quoted = next(n for n, line in enumerate(lines, 1) if '"title with "quotes" in it"' in line)
    assert (tabular, "raw") in said and (table, "Markdown") in said and (quoted, "'[URL") in said
    assert (1, "metadata") in said  # % title block: its author and date are unused


def test_every_citation_of_pandocs_citation_test_is_read(tmp_path: Path) -> None:
    markdown = (Path(__file__).parents[1] / "data" / "pandoc" /
                "markdown-citations.txt").read_text(encoding="utf-8")
    chapter = reader.read(one_chapter_book(tmp_path, markdown)).chapters[0]
    ours = [" ".join(item.key for item in citation.items) for citation in chapter.citations]
    theirs = re.findall(r'data-cites="([^"]*)"', pandoc_html(markdown))
    assert ours == theirs and len(" ".join(ours).split()) == 21  # and grouped as pandoc
