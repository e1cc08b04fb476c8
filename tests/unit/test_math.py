"""TeX math as pandoc reads it (``$``, ``$$``, ``{#eq:x}``), as MathML and as print SVG."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzpublish import math_syntax, mathsvg, reader, typography
from kzpublish.mathml import TexError, to_mathml
from tests.conftest import one_chapter_book
from tests.pandoc_oracle import kzpublish_html, pandoc_html

MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"


def _maths(html: str) -> list[tuple[str, str]]:
    """Every <math> as (display, TeX): ours keep the TeX in alttext, pandoc's in annotation."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    found = []
    for math in root.iter("math", f"{MATHML_NS}math"):
        annotation = [e.text_content() for e in math.iter() if str(e.tag).endswith("annotation")]
        tex = math.get("alttext") or (annotation[0] if annotation else "")
        found.append((math.get("display", "inline"), " ".join(tex.split())))
    return found


def _prose(html: str) -> str:
    """The text around the math: what a reader sees besides the formulas."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for math in list(root.iter("math", f"{MATHML_NS}math")):
        math.drop_tree()
    return " ".join(root.text_content().split())


# pandoc's rules for $ (manual, tex_math_dollars): each case's math and text must be pandoc's.
DOLLAR_CASES = [
    "Inline $a_1 + \\frac{1}{2}\\,dx$ here.",
    "Prices $5 and $6 stay text.",
    "No space after: $ a$; none before: $a $; no digit after: $x$2.",
    "An escaped \\$x$ is text, then $y$ is math.",
    "Escaped inside: $a \\$ b$.",
    "Two in a row $x$, $y$ and a$b$c.",
    "Display in text $$E = mc^2$$ goes on.",
    "$$\\sum_{i=1}^{n} i$$",
    "Emphasis stays out: $a_b + c_d$ and _real_ emphasis.",
    "Open $x and never closed.",
]


@pytest.mark.parametrize("markdown", DOLLAR_CASES)
def test_dollar_rules_are_pandocs(markdown: str, tmp_path: Path) -> None:
    ours = kzpublish_html(markdown, tmp_path)
    theirs = pandoc_html(markdown, "--mathml")
    assert _maths(ours) == _maths(theirs)
    assert _prose(ours) == _prose(theirs)


def test_tex_source_is_kept_whole(tmp_path: Path) -> None:
    """The bug of issue 14: \\, lost its backslash and _ became <em>."""
    html = kzpublish_html("Area $\\int_a^b f(x)\\,dx$ and $x_1 y_2$.", tmp_path)
    assert _maths(html) == [("inline", "\\int_a^b f(x)\\,dx"), ("inline", "x_1 y_2")]
    assert "<em>" not in html
    assert "\\" not in _prose(html)


def test_a_lone_equation_is_a_block_and_its_label_the_id(tmp_path: Path) -> None:
    html = kzpublish_html("Before.\n\n$$a = b$$ {#eq:first}\n\n$$c$$\n\nAfter.", tmp_path)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    equation, plain = root.xpath("div")
    assert (equation.get("class"), equation.get("id")) == ("equation", "eq:first")
    assert plain.get("class") == "math display"
    assert [len(e.xpath("*[local-name()='math']")) for e in (equation, plain)] == [1, 1]
    assert "{#eq" not in html and "<p></p>" not in html


def test_display_math_inside_text_stays_in_its_paragraph(tmp_path: Path) -> None:
    html = kzpublish_html("So $$x = 1$$ {#eq:x} holds.", tmp_path)
    assert re.fullmatch(r'<p>So <span class="equation" id="eq:x" tabindex="0">'
                        r'<math [^>]*display="block".*</math></span> holds.</p>\s*', html)


def test_amsmath_environment_is_display_math(tmp_path: Path) -> None:
    markdown = "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n"
    ours = kzpublish_html(markdown, tmp_path)
    assert [d for d, _ in _maths(ours)] == [d for d, _ in _maths(pandoc_html(markdown,
                                                                              "--mathml"))]
    assert "\\begin" not in _prose(ours)
    assert "(1)" not in ours  # pandoc does not number align's rows; crossref numbers equations


def _table_shape(html: str) -> list[list[str | None]]:
    """Each row of the first <mtable> in HTML: its cells' alignment."""
    table = lxml.html.fromstring(html).xpath("//mtable")[0]
    return [[cell.get("columnalign") for cell in row.xpath("./mtd")]
            for row in table.xpath("./mtr")]


@pytest.mark.parametrize("tex", [
    "\\begin{aligned}\na &= b + c \\\\\nd &= e\n\\end{aligned}",
    "\\begin{alignedat}{2}\na &= b & c &= d \\\\\ne &= f & g &= h\n\\end{alignedat}",
    "\\begin{gathered}\na + b \\\\\nc\n\\end{gathered}",
    "\\begin{eqnarray*}\na & = & b \\\\\nc & \\leq & d\n\\end{eqnarray*}"])
def test_aligned_gathered_and_eqnarray_in_display_math_are_tables_as_in_pandoc(
        tex: str, tmp_path: Path) -> None:
    """latex2mathml knows neither: their rows ran together with a bare ``<mi>&</mi>``."""
    markdown = f"$$\n{tex}\n$$\n"
    ours = kzpublish_html(markdown, tmp_path)
    assert "<mi>&</mi>" not in ours and "\\begin" not in _prose(ours)
    pandoc = pandoc_html(markdown, "--mathml")
    assert _table_shape(ours) == [[a or "center" for a in row] for row in _table_shape(pandoc)]


def test_a_bare_ampersand_is_an_error_not_a_broken_formula() -> None:
    with pytest.raises(TexError, match="'&' outside an alignment"):
        to_mathml("a & b", display=True)


@pytest.mark.parametrize(("tex", "problem"), [("x^", "super script"), ("\\left( x", "left"),
                                              ("\\foo x", "unknown command \\foo")])
def test_invalid_tex_is_an_error_naming_the_problem(tex: str, problem: str) -> None:
    with pytest.raises(TexError, match=re.escape(problem)):
        to_mathml(tex, display=False)


def test_invalid_tex_warns_at_its_line_and_shows_the_source_as_code(tmp_path: Path) -> None:
    text = "# T\n\nFine $x$.\n\nBroken\nhere $\\frac{1}{2} \\oops$ end.\n"
    chapter = reader.read(one_chapter_book(tmp_path, text)).chapters[0]
    [warning] = chapter.warnings
    assert (warning.severity, warning.pos.line) == ("warning", 6)
    assert "\\oops" in warning.message
    assert '<code class="tex">\\frac{1}{2} \\oops</code>' in chapter.html


def test_typography_leaves_math_alone(tmp_path: Path) -> None:
    book = reader.read(one_chapter_book(tmp_path, 'Он сказал "да" и $a - b "c" -- d$.',
                                        language="ru"))
    before = _maths(book.chapters[0].html)
    after_html = typography.apply(book).chapters[0].html
    assert _maths(after_html) == before
    assert re.findall(r"<math.*?</math>", after_html, re.S) == re.findall(
        r"<math.*?</math>", book.chapters[0].html, re.S)
    assert "«да»" in after_html


def test_print_pictures_replace_mathml_with_alt_text() -> None:
    html = "<p>See " + to_mathml("\\frac{a}{b} < c", display=False) + " here.</p>"
    printed = mathsvg.to_pictures(html)
    assert "<math" not in printed
    image = lxml.html.fragment_fromstring(printed).xpath("//img")[0]
    assert image.get("alt") == "\\frac{a}{b} < c"
    assert image.get("class") == "math"
    svg = base64.b64decode(image.get("src").split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<path" in svg and "frac" not in svg
    assert re.search(r"vertical-align: -0\.\d+em", image.get("style"))
    assert mathsvg.to_pictures(html) == printed  # the same picture every build


@pytest.mark.parametrize("tex", ["E = mc^2 \\label{eq:emc}",
                                 "\\begin{align} a &= b \\nonumber \\\\ c &= d \\end{align}"])
def test_labels_and_nonumber_print_nothing_as_in_pandoc(tex: str) -> None:
    """texmath skips ``\\label{…}`` and ``\\nonumber``; the formula was shown as TeX."""
    mathml = to_mathml(tex, display=True)
    assert "label" not in mathml.split(">", 1)[1] and "nonumber" not in mathml.split(">", 1)[1]
    assert "<mi>E</mi>" in mathml or "<mi>a</mi>" in mathml


def test_a_formula_above_the_baseline_is_raised_by_valid_css() -> None:
    """``\\cdots`` ends above the baseline (a negative depth): its style read
    "vertical-align: --0.157em", which WeasyPrint ignored with a log line to the author."""
    printed = mathsvg.to_pictures("<p>" + to_mathml("\\cdots", display=False) + "</p>")
    style = lxml.html.fragment_fromstring(printed).xpath("//img")[0].get("style")
    assert re.fullmatch(r"width: \d+\.\d{3}em; vertical-align: 0\.\d{3}em", style), style


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="$\\ ab1{}_^&<\n", max_size=24))
def test_any_dollar_text_reads_without_a_crash(text: str) -> None:
    md = reader._markdown()
    tokens = md.parse(text, {"docId": "ch01"})
    html = md.renderer.render(tokens, md.options, {"docId": "ch01"})
    assert isinstance(math_syntax.warnings(tokens, Path("ch.md")), list)
    for math in re.findall(r"<math.*?</math>", html, re.S):
        mathsvg.to_pictures(math)  # the print writer copes with whatever MathML came out
