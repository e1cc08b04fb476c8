"""Pandoc as the oracle for Markdown: the same input through `pandoc -f markdown -t html`
and through kzpublish's reader, compared construct by construct.

Pandoc's manual is the spec for every Markdown construct (issue 14); Debian's pandoc
(installed by `make tools`) is run here so a test states *what pandoc does*, not what we
believe it does. The two HTMLs differ in ways that do not matter to a reader (attributes,
whitespace, pandoc 2's ``<div class="figure">`` for pandoc 3's ``<figure>``), so tests
compare ``shape``: the elements of the tags a construct is about, each with its text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html

from kzpublish import reader
from tests.conftest import one_chapter_book

PANDOC = shutil.which("pandoc")

# pandoc 2.x writes figures and captions as divs; the names pandoc 3 uses stand for both.
_RENAMED = {("div", "figure"): "figure", ("p", "caption"): "figcaption"}


def pandoc_html(markdown: str, *options: str) -> str:
    """The HTML fragment pandoc writes for MARKDOWN (pandoc's own markdown reader)."""
    if PANDOC is None:
        raise RuntimeError("pandoc is missing — `make tools` installs it (Debian package)")
    result = subprocess.run([PANDOC, "-f", "markdown", "-t", "html", *options],
                            input=markdown, capture_output=True, text=True, check=True,
                            timeout=60)
    return result.stdout


def kzpublish_html(markdown: str, folder: Path, **settings: object) -> str:
    """The HTML kzpublish's reader writes for MARKDOWN (before citations): its chapters',
    one after the other (each level-1 heading opens one)."""
    book = reader.read(one_chapter_book(folder, markdown, **settings))
    return "".join(chapter.html for chapter in book.chapters)


def _tag(element: lxml.html.HtmlElement) -> str:
    classes = (element.get("class") or "").split()
    for (tag, cls), name in _RENAMED.items():
        if element.tag == tag and cls in classes:
            return name
    return str(element.tag)


def _text(element: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def shape(html: str, *tags: str) -> list[tuple[str, str]]:
    """The elements of HTML with one of TAGS, in document order, as (tag, text)."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(_tag(element), _text(element)) for element in root.iter()
            if isinstance(element.tag, str) and _tag(element) in tags]


def same_shape(markdown: str, folder: Path, *tags: str) -> tuple[list[tuple[str, str]],
                                                                  list[tuple[str, str]]]:
    """(kzpublish's shape, pandoc's shape) of MARKDOWN for TAGS — a test asserts them equal."""
    return shape(kzpublish_html(markdown, folder), *tags), shape(pandoc_html(markdown), *tags)
