"""Limits: huge inputs build in linear time, deep nesting keeps every word.

Timed correctness limits from issue 15 (50,000 footnotes, a 5 MB paragraph: each HTML
edition in under 60 s; both were minutes, a quadratic splice in typography and the book
read twice). A regression back to quadratic time fails them by far, not by a margin.
The time measured is this process's CPU time: the machines that run the suite are shared,
and their wall-clock time says more about the neighbours than about kzpublish.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from kzpublish import cli

LIMIT = 60.0


def _book(folder: Path, text: str) -> Path:
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True)
    (manuscript / "ch.md").write_text(text, encoding="utf-8")
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    (manuscript / "book.toml").write_text(
        'title = "Limits"\nauthors = []\nlanguage = "en"\nchapters = ["ch.md"]\n'
        'bibliography = "refs.json"\ncsl = "chicago-author-date"\n', encoding="utf-8")
    return folder


def _timed_build(project: Path, *args: str) -> tuple[float, str]:
    start = time.process_time()
    assert cli.main(["build", str(project), "--format", "html", "--no-cache", *args]) == 0
    elapsed = time.process_time() - start
    return elapsed, (project / "build" / "html" / "index.html").read_text(encoding="utf-8")


def test_fifty_thousand_footnotes(tmp_path: Path) -> None:
    count = 50_000
    text = "# Notes\n\n" + "\n\n".join(f"Line {n}.[^n{n}]" for n in range(count)) + "\n\n" + \
        "\n".join(f"[^n{n}]: Note {n}." for n in range(count)) + "\n"
    elapsed, html = _timed_build(_book(tmp_path, text), "-q")
    assert elapsed < LIMIT
    assert html.count('role="doc-noteref"') == count
    assert f"Note {count - 1}." in html


def test_a_five_megabyte_paragraph(tmp_path: Path) -> None:
    sentence = 'A "quoted" word -- and... an apostrophe\'s turn. '
    text = "# Long\n\n" + sentence * (5_000_000 // len(sentence)) + "\n"
    elapsed, html = _timed_build(_book(tmp_path, text), "-q")
    assert elapsed < LIMIT
    assert html.count("“quoted”") == 5_000_000 // len(sentence)


@pytest.mark.parametrize("depth", [12, 40, 300])
def test_deep_nesting_keeps_every_word(depth: int, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Lists and quotes nested past the parser's depth: every word is in the edition, the
    chapter's end too, and a warning names the line where flattening began."""
    items = "\n".join("  " * level + f"- item{level}" for level in range(depth))
    quote = ">" * depth + " quoted deep"
    text = f"# Deep\n\n{items}\n\n{quote}\n\nThe end of the chapter.\n"
    _, html = _timed_build(_book(tmp_path, text))
    words = re.sub(r"<[^>]+>", " ", html)
    assert all(f"item{level}" in words.split() for level in range(depth))
    assert "quoted deep" in words and "The end of the chapter." in words
    warnings = capsys.readouterr().err
    if depth > 32:
        assert re.search(r"ch\.md:\d+:1: warning: Markdown nested more than", warnings)
    else:
        assert "nested" not in warnings
