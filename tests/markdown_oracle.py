"""Helpers for the reader's construct tests (tests/unit/test_markdown_*.py): attributes of
elements in kzpublish's and pandoc's HTML, and the warnings a chapter gives."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from kzpublish import reader
from tests.conftest import one_chapter_book
from tests.pandoc_oracle import kzpublish_html, pandoc_html


def attributes_of(html: str, tag: str, *names: str) -> list[dict[str, str]]:
    """For each TAG element of HTML, in order, the NAMES attributes it has."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [{name: element.get(name) for name in names if element.get(name) is not None}
            for element in root.iter(tag)]


def same_attributes(markdown: str, folder: Path, tag: str, *names: str
                    ) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(ours, pandoc's) attributes NAMES of the TAG elements MARKDOWN gives."""
    return (attributes_of(kzpublish_html(markdown, folder), tag, *names),
            attributes_of(pandoc_html(markdown), tag, *names))


def warnings_of(markdown: str, folder: Path) -> list[tuple[int | None, str]]:
    """The reader's warnings for MARKDOWN as (line, message)."""
    chapter = reader.read(one_chapter_book(folder, markdown)).chapters[0]
    return [(warning.pos.line, warning.message) for warning in chapter.warnings]
