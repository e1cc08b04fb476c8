"""Fuzzing Markdown and citation syntax: any text is a book or a ``KzError``, never a crash.

Chapters are drawn from pieces that exercise the reader's own rules (citations in their
bracketed, narrative and suppressed forms, locators, footnotes, nesting, raw HTML,
broken brackets) mixed with arbitrary text; each is read, cited and typeset
(``pipeline.resolve``). Anything but a ``KzError`` is an internal error.

The suite runs a modest number of examples; the full run (issue 15: 10,000) is

    KZPUBLISH_FUZZ_EXAMPLES=10000 python -m pytest tests/robust/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kzpublish import pipeline
from kzpublish.errors import KzError
from tests.conftest import PROJECTS

EXAMPLES = int(os.environ.get("KZPUBLISH_FUZZ_EXAMPLES", "25"))
KEYS = ["knuth1981", "knuth1986", "bringhurst2004", "w3c2023", "nobody", "a:b", "x_y.z"]

_PIECES = st.sampled_from([
    "[@{k}]", "@{k}", "[-@{k}]", "[@{k}, p. 33]", "[see @{k}, chap. 2; @{k}]", "[@{k}",
    "@{k}]", "[^n]", "[^n]: A note [@{k}].\n", "^[inline @{k} note]", "*", "**", "_", "`",
    "\n\n", "\n", "- ", "  - ", "> ", "1. ", "# ", "::: {{#refs}}\n", ":::\n", "<div>",
    "</div>", "<span>", "&amp;", "&#0;", "\"", "'", "--", "...", "[link](", ")", "![alt](",
    "images/editions.png)", "|a|b|\n|-|-|\n", "```\n", "    code\n", "\\", "{", "}", "\t",
])


@st.composite
def _chapters(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_PIECES.map(lambda piece: piece),
                                    st.text(max_size=12)), max_size=40))
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=len(parts), max_size=len(parts)))
    return "".join(part.format(k=key) if "{k}" in part or "{{" in part else part
                   for part, key in zip(parts, keys, strict=True))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "book"
    shutil.copytree(PROJECTS / "english", folder)
    return folder


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_chapters())
@example(text="[@knuth1981[@knuth1981]@knuth1981]")  # a citation in a suffix crashed
def test_any_chapter_is_a_book_or_an_error(project: Path, text: str) -> None:
    (project / "manuscript" / "02-screen.md").write_text(text, encoding="utf-8")
    try:
        pipeline.resolve(project)
    except KzError as error:
        assert error.diagnostics
        assert all(str(d.pos) and d.message for d in error.diagnostics)
