"""How long an edition is: printed pages of the PDF, documents of the HTML and EPUB editions.

The PDF is read with the standard library only (the PDF libraries are test
dependencies): WeasyPrint keeps its objects in Flate-compressed object
streams, so those streams (not the page contents) are inflated and the page
tree's ``/Count`` read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

_OBJECT_STREAM = re.compile(rb"<<[^<>]*/Type\s*/ObjStm[^<>]*>>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)")
_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")


def _inflated(data: bytes) -> list[bytes]:
    chunks = [data]
    for match in _OBJECT_STREAM.finditer(data):
        length = _LENGTH.search(match[0])
        if b"/FlateDecode" not in match[0] or length is None:
            continue
        start = match.end()
        try:
            chunks.append(zlib.decompress(data[start:start + int(length[1])]))
        except zlib.error:
            continue
    return chunks


def pdf_pages(path: Path) -> int | None:
    """The page count of a PDF, or None when its page tree cannot be found."""
    counts = [int(match[1] or match[2]) for chunk in _inflated(path.read_bytes())
              for match in _PAGES.finditer(chunk)]
    return max(counts) if counts else None


def epub_documents(path: Path) -> int:
    """The XHTML documents in an EPUB, the navigation document not counted."""
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.endswith(".xhtml")]
    return len([name for name in names if not name.endswith("nav.xhtml")])


def html_pages(index: Path) -> int:
    """The pages of the HTML edition whose entry is ``index``."""
    return len(list(index.parent.glob("*.html")))


def count(fmt: str, path: Path) -> tuple[int | None, str]:
    """How long the edition at ``path`` is, and the unit: "pages" or "documents"."""
    if fmt == "pdf":
        return pdf_pages(path), "pages"
    if fmt == "epub":
        return epub_documents(path), "documents"
    return html_pages(path), "pages"
