"""Writers turn the resolved ``Book`` into files; the only stage that touches outputs."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..cache import Store
from ..config import Config
from ..model import Book

FORMATS = ("pdf", "epub", "html")


def writer(fmt: str, store: Store | None = None) -> Callable[[Book, Config, Path], Path]:
    """The write function of one edition; imported lazily, as weasyprint is slow to load.
    The print edition reuses the parts ``store`` kept (``pdf_cache``)."""
    if fmt == "pdf":
        from . import pdf_parts
        return partial(pdf_parts.write, store=store)
    if fmt == "epub":
        from . import epub
        return epub.write
    if fmt == "html":
        from . import html
        return html.write
    raise ValueError(f"unknown format {fmt!r}")
