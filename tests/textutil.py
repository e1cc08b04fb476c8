"""Helpers the tests share: text out of HTML and PDF, compared as a reader sees it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from lxml import html as lxml_html

NBSP_MARK = "~"


def text_of(element: lxml_html.HtmlElement) -> str:
    """Element text with non-breaking spaces shown as '~' (TeX's tie) for golden files."""
    return element.text_content().replace("\u00a0", NBSP_MARK).strip()


def citations_and_entries(page: str) -> tuple[list[str], list[str]]:
    """In-text citations (reading order) and reference-list entries of an HTML document."""
    tree = lxml_html.fromstring(page)
    for backlinks in tree.xpath('//span[@class="ref-backlinks"]'):
        backlinks.drop_tree()  # the way back is navigation, not part of the entry
    citations = [text_of(e) for e in tree.xpath('//span[@class="citation"]')]
    entries = [text_of(e) for e in tree.xpath('//div[contains(@class, "csl-entry")]')]
    return citations, entries


def squeeze(text: str) -> str:
    """Drop whitespace and hyphens, so line breaks and hyphenation in a PDF don't matter."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text.replace(NBSP_MARK, " "))


def pdf_text(pdf: Path) -> str:
    """pdftotext's reading of a PDF (poppler), as a reader's copy-paste would give."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
