"""The print edition, checked with poppler and pikepdf: what a printer and a reader get."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from kzpublish import assets
from tests.conftest import PROJECTS, REPO, copy_project
from tests.textutil import pdf_text

SEED_PDF = "kazakhstan-multi-vector.pdf"
ENGLISH_PDF = "setting-type.pdf"


def _pages(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    return pdf_text(pdf).split("\f")[:-1]


def _font_names(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         text=True).stdout.splitlines()[2:]
    rows = [line.split() for line in out]
    assert all(row[-5:-3] == ["yes", "yes"] for row in rows), out  # embedded, subset
    return {row[0].split("+", 1)[1] for row in rows}


def _squash(name: str) -> str:
    return re.sub(r"[\s-]", "", name).lower()


@pytest.mark.parametrize("name", [SEED_PDF, ENGLISH_PDF])
def test_only_vendored_fonts_embedded_and_subset(name: str, seed_build: Path,
                                                 english_build: Path) -> None:
    pdf = (seed_build if name == SEED_PDF else english_build) / name
    vendored = {_squash(p.stem.replace("-Regular", "")) for p in assets.fonts(REPO)}
    used = {_squash(font) for font in _font_names(pdf)}
    assert used <= vendored, used - vendored
    assert {"notoserif", "notosans"} <= used


@pytest.mark.parametrize(("name", "language"), [(SEED_PDF, "ru"), (ENGLISH_PDF, "en")])
def test_tagged_pdf_ua_with_language_and_metadata(name: str, language: str, seed_build: Path,
                                                  english_build: Path) -> None:
    with pikepdf.open((seed_build if name == SEED_PDF else english_build) / name) as pdf:
        assert str(pdf.Root.Lang) == language
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as meta:
            assert meta.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1"
            assert meta.get("dc:title")
        assert str(pdf.docinfo.Title)


def test_english_metadata_and_outline(english_build: Path) -> None:
    with pikepdf.open(english_build / ENGLISH_PDF) as pdf:
        assert str(pdf.docinfo.Author) == "Ada Compositor, Ben Proofreader"
        assert str(pdf.docinfo.Subject) == ("How books came to look as they do, from movable "
                                            "type to e-books")
        assert str(pdf.docinfo.Keywords) == "typography, printing, e-books"
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
            chapter_one = next(i for i in outline.root if i.title == "Metal and Ink")
            assert [c.title for c in chapter_one.children] == ["The compositor’s case"]
    assert top == ["Setting Type", "Contents", "Metal and Ink", "Pages on Screens", "References"]


def test_toc_has_page_numbers_that_are_right(english_build: Path) -> None:
    pages = _pages(english_build / ENGLISH_PDF)
    toc = next(page for page in pages if "Contents" in page)
    for title in ("Metal and Ink", "The compositor’s case", "Pages on Screens", "References"):
        number = int(re.search(rf"{re.escape(title)}[ .]*(\d+)", toc)[1])
        assert title in pages[number - 1], (title, number)


def test_chapters_open_on_right_hand_pages(english_build: Path) -> None:
    pages = _pages(english_build / ENGLISH_PDF)
    for title in ("Metal and Ink", "Pages on Screens"):
        opening = next(n for n, page in enumerate(pages, 1)
                       if page.lstrip().startswith(title + "\n"))
        assert opening % 2 == 1, (title, opening)


def test_footnote_stands_on_the_page_of_its_call(english_build: Path) -> None:
    pages = _pages(english_build / ENGLISH_PDF)
    call = next(n for n, page in enumerate(pages) if "running heads.1" in page)
    assert "1. Foliation came first" in pages[call]
    note = next(n for n, page in enumerate(pages) if "2. The EPUB Accessibility" in page)
    assert "a courtesy.2" in pages[note]


@pytest.mark.parametrize("name", [SEED_PDF, ENGLISH_PDF])
def test_page_numbers_on_every_page_after_the_title(name: str, seed_build: Path,
                                                    english_build: Path) -> None:
    pages = _pages((seed_build if name == SEED_PDF else english_build) / name)
    assert not re.search(r"^\s*1\s*$", pages[0], re.M), "no number on the title page"
    for number, page in enumerate(pages[1:], start=2):
        if page.strip():  # blank versos carry nothing
            assert page.rstrip().splitlines()[-1].strip() == str(number), number


def test_russian_text_is_hyphenated(seed_build: Path) -> None:
    text = pdf_text(seed_build / SEED_PDF)
    broken = re.findall(r"[а-яё]+[\u2010-]\n[а-яё]+", text)
    assert len(broken) >= 5, broken


def test_citations_link_to_entries(english_build: Path) -> None:
    with pikepdf.open(english_build / ENGLISH_PDF) as pdf:
        targets = {str(annot.Dest) for page in pdf.pages for annot in page.get("/Annots", [])
                   if "/Dest" in annot}
    assert {"ref-eisenstein1979", "ref-knuth1981", "ref-w3c2023"} <= targets
    assert {"fn-ch01-1", "fn-ch02-1", "metal-and-ink"} <= targets  # notes and contents


def test_same_sources_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzpublish import build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    digests = []
    for folder in ("a", "b"):
        project = copy_project(PROJECTS / "english", tmp_path / folder)
        pdf = build(project, ["pdf"])[0]
        digests.append(hashlib.sha256(pdf.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_images_reach_every_edition(english_build: Path) -> None:
    import zipfile
    assert (english_build / "html" / "images" / "editions.png").is_file()
    with zipfile.ZipFile(english_build / "setting-type.epub") as epub:
        assert "EPUB/images/editions.png" in epub.namelist()
    with pikepdf.open(english_build / ENGLISH_PDF) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images, "the chart is drawn in the PDF"


def _word_boxes(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, each word's left and right edge in points (pdftotext -bbox)."""
    from lxml import etree
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True))
    return [[(float(w.get("xMin")), float(w.get("xMax")), w.text or "")
             for w in page.iter("{*}word")] for page in tree.iter("{*}page")]


@pytest.mark.parametrize("name", [SEED_PDF, ENGLISH_PDF])
def test_no_line_runs_into_the_margin(name: str, seed_build: Path, english_build: Path) -> None:
    """print.css: inner margin 20 mm, outer 15 mm; nothing may stick out (overfull lines)."""
    pdf = (seed_build if name == SEED_PDF else english_build) / name
    mm = 72 / 25.4
    with pikepdf.open(pdf) as document:
        width = float(document.pages[0].mediabox[2])
    for number, words in enumerate(_word_boxes(pdf), start=1):
        inner, outer = 20 * mm, 15 * mm
        left, right = (inner, width - outer) if number % 2 else (outer, width - inner)
        for x_min, x_max, word in words:
            assert left - 0.6 <= x_min and x_max <= right + 0.6, (number, word, x_min, x_max)
