"""PDF figures as SVG: a vector figure exported as PDF (from R, matplotlib, Inkscape…)
shown in all three editions, still vector.

Browsers, e-readers and WeasyPrint cannot show a PDF as an image, so the first page of
the figure is converted to SVG by poppler's ``pdftocairo`` (Debian's poppler-utils, the
Makefile installs it): the only module that runs it. The converted picture goes by the
PDF's name with ``.svg`` after it ("chart.pdf" → "chart.pdf.svg"); ``images.source`` of
that name is the PDF, so confinement, the cache and the editions' file lists all see the
author's file, and only reading its bytes (``svg``) converts. A conversion is kept for
the rest of the process, keyed by the file's path, size and time.
"""

from __future__ import annotations

import functools
from pathlib import Path

SUFFIX = ".svg"
_TIMEOUT = 60
"""Seconds a figure may take: a PDF that takes longer is refused, never waited for."""


class ConversionError(RuntimeError):
    """pdftocairo is missing, failed, or took too long; the message says which."""


def is_converted(name: str) -> bool:
    """Whether an image name stands for a converted PDF figure ("chart.pdf.svg")."""
    return name.lower().endswith(".pdf" + SUFFIX)


def converted_name(name: str) -> str:
    """The name the editions give a PDF figure's picture."""
    return name + SUFFIX


def pdf_name(name: str) -> str:
    """The PDF a converted name comes from."""
    return name[: -len(SUFFIX)]


def svg(path: Path) -> bytes:
    """The first page of the PDF at PATH as SVG; ``ConversionError`` when it cannot be."""
    stat = path.stat()
    return _converted(str(path), stat.st_size, stat.st_mtime_ns)


def problem(path: Path) -> str | None:
    """Why the PDF at PATH cannot be shown as a figure, or None."""
    try:
        svg(path)
    except ConversionError as error:
        return str(error)
    return None


@functools.lru_cache(maxsize=64)
def _converted(path: str, size: int, mtime: int) -> bytes:
    """pdftocairo's SVG of the first page (size and time only key the cache).

    subprocess and shutil are imported here, not with the reader that imports this module:
    a book without PDF figures never runs anything."""
    import shutil
    import subprocess
    program = shutil.which("pdftocairo")
    if program is None:
        raise ConversionError("cannot be converted: pdftocairo is missing — install Debian's "
                              "poppler-utils (make setup does)")
    try:
        done = subprocess.run([program, "-svg", "-f", "1", "-l", "1", path, "-"],
                              capture_output=True, timeout=_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise ConversionError(f"took over {_TIMEOUT} s to convert — simplify the figure or "
                              "export it as SVG") from None
    if done.returncode or not done.stdout.lstrip().startswith(b"<?xml"):
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise ConversionError("is not a readable PDF" + (f" ({reason[0]})" if reason else "")
                              + " — export it again, or as SVG")
    return done.stdout
