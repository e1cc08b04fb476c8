"""The pipeline — the only module that knows the order of the stages.

(ARCHITECTURE.md calls it build.py; a submodule named ``build`` would shadow the
public ``kzpublish.build()`` function once imported, so it is ``pipeline``.)

config → reader → citations → typography → writers. Every edition is written
from the same resolved ``Book``, so citations read the same in all three.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import citations, config, csl, reader, typography
from .config import Config
from .errors import CitationError, Diagnostic, KzError
from .model import Book
from .writers import FORMATS, writer


def resolve(project: Path) -> tuple[Config, Book]:
    """Read and resolve the book: everything but writing."""
    settings = config.load(project)
    book = reader.read(settings)
    book = citations.resolve(book, settings)
    return settings, typography.apply(book)


def build(project: Path, formats: Iterable[str] = FORMATS,
          output: Path | None = None) -> list[Path]:
    """Build the editions asked for into OUTPUT (default PROJECT/build); return their paths."""
    settings, book = resolve(project)
    out_dir = output if output is not None else project / "build"
    return [writer(fmt)(book, settings, out_dir) for fmt in formats]


def check(project: Path) -> list[Diagnostic]:
    """Validate book.toml, the bibliography, the style and every citation without rendering.

    Raises ``KzError`` with every error found; returns the warnings.
    """
    settings = config.load(project)
    book = reader.read(settings)
    references = citations.load_references(settings)
    problems = csl.validate_style(citations.style_path(settings))
    problems += citations.unknown_keys(book, references, settings.bibliography)
    problems += citations.uncited(book, references, settings.nocite)
    problems += references.warnings
    problems += [warning for chapter in book.chapters for warning in chapter.warnings]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CitationError(errors)
    return [p for p in problems if p.severity != "error"]


__all__ = ["FORMATS", "KzError", "build", "check", "resolve"]
