"""Writers turn the resolved ``Book`` into files; the only stage that touches outputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..config import Config
from ..model import Book

FORMATS = ("pdf", "epub", "html")


def writer(fmt: str) -> Callable[[Book, Config, Path], Path]:
    """The write function of one edition; imported lazily, as weasyprint is slow to load."""
    if fmt == "pdf":
        from . import pdf_parts
        return pdf_parts.write
    if fmt == "epub":
        from . import epub
        return epub.write
    if fmt == "html":
        from . import html
        return html.write
    raise ValueError(f"unknown format {fmt!r}")
