"""Code blocks and inline code as pandoc writes them, highlighted with pandoc's classes."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from kzpublish import assets, code_blocks
from tests.markdown_oracle import same_attributes
from tests.pandoc_oracle import kzpublish_html, pandoc_html


def _code(html: str) -> list[tuple[str, str, str]]:
    """Every pre and code element as (tag, class, text)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(e.tag, e.get("class") or "", " ".join(e.text_content().split()))
            for e in root.iter("pre", "code")]


CASES = [
    "```haskell\nmain :: IO ()\nmain = print (1 + 2)\n```\n",
    "``` {.haskell .numberLines}\nx = 1\n```\n",
    "```{.python}\ndef f(x):\n    return x  # note <b>\n```\n",
    "```{#listing .python}\nprint('a & b')\n```\n",
    "```nosuchlanguage\nkeep < this\n```\n",
    "```\nplain\n```\n",
    "Text.\n\n    indented code\n    second line\n",
    "Inline `print(1)`{.python} and `plain` and `x`{.nosuchlanguage}.\n",
]


@pytest.mark.parametrize("markdown", CASES)
def test_code_is_pandocs(markdown: str, tmp_path: Path) -> None:
    assert _code(kzpublish_html(markdown, tmp_path)) == _code(pandoc_html(markdown))


def test_known_language_is_highlighted_with_pandocs_classes(tmp_path: Path) -> None:
    html = kzpublish_html('```python\ndef f():\n    return "s"  # c\n```\n', tmp_path)
    spans = re.findall(r'<span class="(\w+)">([^<]+)</span>', html)
    assert spans == [("kw", "def"), ("fu", "f"), ("kw", "return"), ("st", "\"s\""),
                     ("co", "# c")]
    assert "language-" not in html


@pytest.mark.parametrize(("info", "expected"), [
    ("haskell", ("", ["haskell"])),
    ("{.haskell .numberLines}", ("", ["haskell", "numberLines"])),
    (" {#id .python startFrom=3}", ("id", ["python"])),
    ("", ("", [])),
])
def test_fence_info_forms(info: str, expected: tuple[str, list[str]]) -> None:
    assert code_blocks.attributes(info) == expected


def test_code_uses_the_vendored_mono_font_and_wraps_long_lines() -> None:
    css = (assets.BUILTIN_STYLES / "base.css").read_text(encoding="utf-8")
    assert re.search(r'code, pre \{ font-family: "Noto Sans Mono"', css)
    assert re.search(r"pre \{[^}]*white-space: pre-wrap;[^}]*overflow-wrap: anywhere", css)
    assert "NotoSansMono-Regular.ttf" in {p.name for p in assets.fonts(Path("/nonexistent"))}


def test_numbered_lines_are_whole_spans_even_inside_a_multiline_token(tmp_path: Path) -> None:
    markdown = '``` {.python .numberLines}\nx = """a\nb"""\ny = 2\n```\n'
    html = kzpublish_html(markdown, tmp_path)
    lines = re.findall(r'<span class="line">(.*?)</span>(?=\n|</code>)', html)
    assert len(lines) == 3
    for line in lines:
        assert line.count("<span") == line.count("</span>")
    assert _code(html) == _code(pandoc_html(markdown))


@pytest.mark.parametrize(("markdown", "tag"), [
    ('```{.python .numberLines startFrom="10" #lst:a caption="Hello"}\nx = 1\ny = 2\n```\n',
     "div"),
    ("```{.nosuchlanguage key=val title='T'}\nx\n```\n", "pre"),
])
def test_a_fences_key_value_attributes_are_pandocs(markdown: str, tag: str,
                                                   tmp_path: Path) -> None:
    """``startFrom``, pandoc-crossref's ``caption`` and the like were dropped: pandoc writes
    them on the block (data-startFrom, data-caption), and numbers lines from startFrom."""
    names = ("id", "data-startfrom", "data-caption", "data-key", "title")
    ours, pandocs = same_attributes(markdown, tmp_path, tag, *names)
    assert ours == pandocs != [{}]
    counters = same_attributes(markdown, tmp_path, "code", "style")
    assert counters[0] == counters[1]


@pytest.mark.parametrize("markdown", ["Call `f(x)`{.python #call key=v} here.\n",
                                      "A `term`{#t .nolang lang=de} and `plain`.\n"])
def test_inline_codes_id_and_key_value_attributes_are_pandocs(markdown: str,
                                                              tmp_path: Path) -> None:
    """Only the classes of ```x`{#id key=v}`` were written; pandoc writes all of them."""
    ours, pandocs = same_attributes(markdown, tmp_path, "code", "id", "class", "data-key",
                                    "lang")
    assert ours == pandocs
    assert any("id" in attributes for attributes in ours)
