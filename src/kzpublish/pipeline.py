"""The pipeline — the only module that knows the order of the stages.

(ARCHITECTURE.md calls it build.py; a submodule named ``build`` would shadow the
public ``kzpublish.build()`` function once imported, so it is ``pipeline``.)

config → reader → crossref → citations → typography → writers. Every edition is written
from the same resolved ``Book``, so citations read the same in all three.
``build`` keeps a content-hash cache in OUT/.cache (``incremental``): unchanged
citations and chapters are not rendered again, unchanged editions not rewritten.
Progress is reported as ``Step``s to a callback; printing them is the CLI's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from . import cache, config, crossref, incremental, project_styles, read_cache, templates
from .config import Config
from .errors import CitationError, Diagnostic, KzError, SourcePos
from .model import Book
from .writers import FORMATS, atomic, writer


@dataclass(frozen=True)
class Edition:
    """One edition as a build left it."""

    format: str
    path: Path
    written: bool
    """False when its inputs had not changed and the file from the last build was kept."""


@dataclass(frozen=True)
class Step:
    """A progress report: a stage starting, or (with ``edition``) an edition finished."""

    stage: str
    """"read", "citations", "typography", "write" or "done"."""
    detail: str = ""
    cached: bool = False
    """The stage's result came from the cache."""
    edition: Edition | None = None


@dataclass(frozen=True)
class Result:
    """What ``run`` built and what it noticed."""

    editions: tuple[Edition, ...]
    warnings: tuple[Diagnostic, ...]


Progress = Callable[[Step], None]


def silent(step: Step) -> None:
    """The progress callback that reports nothing."""


def _resolved(settings: Config, store: cache.Store,
              progress: Progress) -> tuple[Book, list[Diagnostic]]:
    """Read, cite and typeset the book; the warnings found on the way."""
    if problems := templates.problems(settings):
        raise KzError(problems)
    progress(Step("read", f"{len(settings.chapters)} chapter(s)"))
    reading = read_cache.read(settings, store)
    as_read = reading.book
    book = crossref.resolve(as_read, settings)
    count = sum(len(chapter.citations) for chapter in book.chapters)
    book, warnings, hit = incremental.cited(book, settings, store,
                                            lambda: _warnings(settings, as_read))
    reading.keep()
    warnings += incremental.glyph_warnings(as_read, settings, store)
    progress(Step("citations", f"{count} citation(s), {len(book.reference_ids)} "
                  "reference(s) listed", hit))
    book, hits = incremental.typeset(book, store, settings.project)
    for chapter, hit in zip(book.chapters, hits, strict=True):
        progress(Step("typography", chapter.title, hit))
    return book, warnings


def _warnings(settings: Config, book: Book) -> list[Diagnostic]:
    """What ``check`` warns about; errors it finds that did not stop the build, as warnings.
    (The book as read is passed: reading it again doubled a long book's reading time.)"""
    try:
        return _checked(settings, book, [])  # the templates' problems stopped it already
    except KzError as error:
        return [replace(d, severity="warning") for d in error.diagnostics]


def resolve(project: Path) -> tuple[Config, Book]:
    """Read and resolve the book: everything but writing (no cache)."""
    settings = config.load(project)
    book, _ = _resolved(settings, cache.Store(None), silent)
    return settings, book


def _editions(formats: Iterable[str], book: Book, settings: Config, out_dir: Path,
              store: cache.Store, progress: Progress) -> tuple[Edition, ...]:
    """Write the editions whose inputs changed since the last build; keep the others.
    What was written is recorded in the cache once the files are in place."""
    keys = {fmt: incremental.edition_key(fmt, book, settings) for fmt in formats}
    kept = {fmt: path for fmt, key in keys.items()
            if (path := incremental.kept(fmt, key, out_dir, store)) is not None}
    written = _written([fmt for fmt in keys if fmt not in kept], book, settings, out_dir,
                       store, progress)
    editions = []
    for fmt, key in keys.items():
        if fmt in written:
            incremental.record(fmt, key, written[fmt], out_dir, store)
            edition = Edition(fmt, written[fmt], written=True)
        else:
            edition = Edition(fmt, incremental.refreshed(kept[fmt]), written=False)
        progress(Step("done", fmt, cached=not edition.written, edition=edition))
        editions.append(edition)
    return tuple(editions)


def _written(formats: list[str], book: Book, settings: Config, out_dir: Path,
             store: cache.Store, progress: Progress) -> dict[str, Path]:
    """Write the editions under temp names, renamed together once all are written
    (``atomic.staged``): one failing leaves every edition in OUT as the last build left it."""
    written = {}
    with atomic.staged():
        for fmt in formats:
            progress(Step("write", fmt))
            written[fmt] = writer(fmt, store)(book, settings, out_dir)
    return written


def _output_folder(project: Path, output: Path | None) -> Path:
    """OUTPUT (default PROJECT/build), its leftovers from a killed build removed."""
    out_dir = output if output is not None else project / "build"
    if out_dir.exists() and not out_dir.is_dir():
        raise KzError.at(SourcePos(out_dir), "is a file, not a folder — give --output a "
                         "folder (it is created if missing)")
    atomic.sweep(out_dir)
    cache.sweep(out_dir / cache.FOLDER)
    return out_dir


def run(project: Path, formats: Iterable[str] = FORMATS, output: Path | None = None, *,
        use_cache: bool = True, progress: Progress = silent) -> Result:
    """Build the editions asked for into OUTPUT (default PROJECT/build), reporting progress."""
    settings = config.load(project)
    out_dir = _output_folder(project, output)
    store = cache.Store(out_dir / cache.FOLDER if use_cache else None, settings.project)
    book, warnings = _resolved(settings, store, progress)
    warnings += project_styles.warnings(settings.project)
    formats = dict.fromkeys(formats)
    if "pdf" in formats:
        warnings += incremental.stylesheet_warnings(settings, store)
        warnings += incremental.style_attribute_warnings(book, store)
    editions = _editions(formats, book, settings, out_dir, store, progress)
    return Result(editions, tuple(dict.fromkeys(warnings)))  # a picture in two chapters: once


def build(project: Path, formats: Iterable[str] = FORMATS,
          output: Path | None = None) -> list[Path]:
    """Build the editions asked for into OUTPUT (default PROJECT/build); return their paths."""
    return [edition.path for edition in run(project, formats, output).editions]


def check(project: Path) -> list[Diagnostic]:
    """Validate book.toml, the bibliography, the style, every citation and cross-reference
    without rendering.

    Raises ``KzError`` with every error found; returns the warnings. ``citations`` and
    ``csl`` (citeproc-py) are imported here, not with the module: a build whose citations
    come from the cache calls neither (see ``incremental``), nor ``reader`` (markdown-it-py)
    when the book as read does (``read_cache``).
    """
    settings = config.load(project)
    from . import glyphs, reader, style_attributes
    from .writers import pdf
    as_read = reader.read(settings)
    styles = pdf.declaration_problems(style_attributes.values(as_read))
    return list(dict.fromkeys(  # the same warning twice (a picture in two chapters): once
        _checked(settings, as_read, templates.problems(settings))
        + pdf.stylesheet_warnings(settings)
        + style_attributes.warnings(as_read, styles) + glyphs.missing(settings, as_read)
        + project_styles.warnings(settings.project)))


def _checked(settings: Config, as_read: Book,
             template_problems: list[Diagnostic]) -> list[Diagnostic]:
    """``check`` on a book already read (before cross-references are resolved), with the
    templates' ``template_problems`` (a build has found them before reading)."""
    from . import citations, csl
    book, problems = crossref.apply(as_read, settings)
    references = citations.load_references(settings)
    problems += template_problems + csl.validate_style(citations.style_path(settings))
    problems += citations.renamed_style(settings)
    problems += citations.unknown_keys(book, references, settings.bibliography)
    problems += citations.unknown_nocite(settings, references)
    problems += citations.unknown_languages(settings, references)
    problems += citations.uncited(book, references, settings.nocite)
    problems += references.warnings
    problems += [warning for chapter in book.chapters for warning in chapter.warnings]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CitationError(errors)
    return [p for p in problems if p.severity != "error"]


__all__ = ["FORMATS", "Edition", "KzError", "Result", "Step", "build", "check", "resolve", "run",
           "silent"]
