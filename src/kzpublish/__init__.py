"""kzpublish: one Markdown manuscript and a CSL bibliography → PDF, EPUB 3 and HTML.

Public API::

    from kzpublish import build, check, KzError
    build(Path("mybook"), ["pdf", "epub", "html"])
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CitationError, ConfigError, KzError, ManuscriptError, SourcePos

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .errors import Diagnostic


def build(project: Path, formats: Iterable[str] = ("pdf", "epub", "html"),
          output: Path | None = None) -> list[Path]:
    """Build the editions of the book in ``project``; see ``kzpublish.pipeline.build``."""
    from .pipeline import build as run
    return run(project, formats, output)


def check(project: Path) -> list[Diagnostic]:
    """Validate ``project`` without rendering; see ``kzpublish.pipeline.check``."""
    from .pipeline import check as run
    return run(project)


__all__ = ["CitationError", "ConfigError", "KzError", "ManuscriptError", "SourcePos",
           "__version__", "build", "check"]
