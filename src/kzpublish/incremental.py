"""Work an earlier build already did: cached citations and chapters, editions kept as they are.

Three grains, each keyed by everything its result depends on (plus
``cache.environment()``, the code and packages):

* citations — what ``citations.resolve`` changed in the whole book (and the warnings
  ``check`` would print), keyed by the book as read (every chapter's HTML and
  citations), the bytes of every file book.toml names and of the CSL style,
  and the settings. Citation rendering is book-wide (disambiguation, note
  numbers), so any edited chapter renders it again; a style or template edit,
  a second edition or a rebuild does not. Then the bibliography entries
  (``csl.speed.Entries``), kept per style and language and keyed by their
  reference's data: an edited chapter re-renders its cites, not the list.
* chapters — ``typography.apply`` chapter by chapter (it is chapter-local), so
  an edit re-sets only the chapter edited.
* editions — an edition whose inputs hash equals the last build's, and whose
  file is still there with the bytes that build wrote, is not written again;
  it is touched instead, so ``make`` sees it as fresh.

``citations`` (with ``csl``: citeproc-py) and ``typography`` are imported where they are
used, not here: a rebuild with nothing changed serves the citations from the cache, and
importing the renderers it then never calls was a third of its time.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import cache, codec, confine, images, style_attributes, style_lookup
from .config import Config
from .errors import Diagnostic
from .model import Book, Chapter

_SRC = re.compile(r'\ssrc="([^"#?:]+)"')


def _named_files(settings: Config) -> list[Path]:
    """The files book.toml names (chapters, bibliographies…), wherever they are."""
    paths = []
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Path) and field.name not in ("project", "file"):
                paths.append(settings.manuscript / item)
    return paths


def _citation_key(book: Book, settings: Config) -> str | None:
    """None when the style cannot be found: ``citations.resolve`` reports that.

    The book enters as its repr, like the settings: the model's frozen dataclasses
    hold only strings, numbers, paths and tuples, so it is complete and stable, and
    it is several times cheaper than encoding the book (on an unchanged rebuild of
    1,000 citations that was most of the citation stage's time).
    """
    try:
        style = style_lookup.find(settings.csl, settings.project)
    except FileNotFoundError:
        return None
    return cache.digest(cache.environment(), "citations", _material(settings, settings, book),
                        cache.files_digest(_named_files(settings), settings.project),
                        style.read_bytes())


def _material(settings: Config, *things: Any) -> str:
    """The reprs of ``things`` as key material, the project's paths relative to it."""
    return cache.relative(repr(things), settings.project)


def cited(book: Book, settings: Config, store: cache.Store,
          findings: Callable[[], list[Diagnostic]]) -> tuple[Book, list[Diagnostic], bool]:
    """``citations.resolve`` and ``findings()`` (the warnings); True when from the cache."""
    key = _citation_key(book, settings)
    found = store.get("citations", key) if key else None
    if found is not None:
        try:
            changes = codec.decode(found["changes"])
            return _applied(book, changes), codec.decode(found["warnings"]), True
        except Exception:  # an entry that does not fit is a miss, whatever
            pass           # it trips on (the cache's digest makes this a rare case)
    from . import citations, csl  # a miss renders: only now is citeproc-py needed
    entries_key = _entries_key(settings)
    known = csl.speed.Entries(_entries(store.get("entries", entries_key) if entries_key else None))
    resolved = citations.resolve(book, settings, known)
    warnings = findings() + _rendering_warnings(book, resolved)
    changes = _changes(book, resolved)
    if key and changes is not None:
        _put(store, "citations", key, {"changes": changes, "warnings": warnings})
    if entries_key:
        store.put("entries", entries_key, known.now)
    return resolved, warnings, False


def _rendering_warnings(book: Book, resolved: Book) -> list[Diagnostic]:
    """What rendering the citations found that ``check`` cannot see without rendering (a
    reference the style prints nothing for): the warnings it added to the chapters."""
    return [warning for before, after in zip(book.chapters, resolved.chapters, strict=True)
            for warning in after.warnings[len(before.warnings):]]


def _changes(book: Book, resolved: Book) -> dict[str, Any] | None:
    """What ``citations.resolve`` changed: the fields of the book and of each chapter that
    differ (HTML, headings, the reference list); None if the chapters are not the same ones.

    The rest, the citations above all, is most of a book as read and is in the cache key:
    on a hit the book at hand holds it already. Storing the whole resolved book, a hit
    spent more time decoding 1,000 citations than anything else it did.
    """
    if len(book.chapters) != len(resolved.chapters):
        return None
    chapters = [_differing(old, new) for old, new in
                zip(book.chapters, resolved.chapters, strict=True)]
    return {"book": _differing(book, resolved, "chapters"), "chapters": chapters}


def _differing(before: Any, after: Any, *skipped: str) -> dict[str, Any]:
    """``after``'s fields whose values differ from ``before``'s (the same dataclass)."""
    return {field.name: getattr(after, field.name) for field in dataclasses.fields(after)
            if field.name not in skipped
            and getattr(after, field.name) != getattr(before, field.name)}


def _applied(book: Book, changes: dict[str, Any]) -> Book:
    """``book`` as resolved, from its ``_changes``; TypeError or ValueError if they do not
    fit (a damaged entry: a miss)."""
    chapters = tuple(replace(chapter, **changed) for chapter, changed
                     in zip(book.chapters, changes["chapters"], strict=True))
    return replace(book, **changes["book"], chapters=chapters)


def _entries_key(settings: Config) -> str | None:
    """Bibliography entries are kept per style (its bytes) and settings (the book's
    language and entry-language choose the locales): an edited chapter then renders
    only the entries whose reference changed."""
    try:
        style = style_lookup.find(settings.csl, settings.project)
    except FileNotFoundError:
        return None
    return cache.digest(cache.environment(), "entries", style.read_bytes(),
                        _material(settings, settings))


def _entries(found: Any) -> dict[str, list[str]]:
    """The stored entries, or none if the file is not what ``cited`` wrote."""
    if not isinstance(found, dict):
        return {}
    return {key: texts for key, texts in found.items()
            if isinstance(texts, list) and all(isinstance(text, str) for text in texts)}


def _put(store: cache.Store, kind: str, key: str, value: Any) -> None:
    try:
        encoded = codec.encode(value)
    except TypeError:  # a model type the codec does not know yet: simply not cached
        return
    store.put(kind, key, encoded)


def stylesheet_warnings(settings: Config, store: cache.Store) -> list[Diagnostic]:
    """``writers.pdf.stylesheet_warnings``, kept by the project's stylesheets: an unchanged
    rebuild does without importing WeasyPrint to say the same again."""
    key = cache.digest(cache.environment(), "print-css",
                       _digest_inside(settings.project, cache.files(settings.project / "styles")))

    def computed() -> list[Diagnostic]:
        from .writers import pdf
        return pdf.stylesheet_warnings(settings)
    return _kept_warnings(store, "print-css", key, computed)


def _kept_warnings(store: cache.Store, kind: str, key: str,
                   compute: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
    """The warnings stored under ``key``, else ``compute()``'s, stored."""
    found = store.get(kind, key)
    if found is not None:
        try:
            return list(codec.decode(found))
        except Exception:  # an entry that does not fit is a miss
            pass
    warnings = compute()
    _put(store, kind, key, warnings)
    return warnings


def _digest_inside(project: Path, paths: list[Path]) -> str:
    """``cache.files_digest`` of the paths inside the project: a file linked out of it is
    not read, even to hash it (``confine``); one the book uses was refused where it is
    named."""
    inside = [path for path in paths if confine.inside(project, path) is not None]
    return cache.files_digest(inside, project)


def style_attribute_warnings(book: Book, store: cache.Store) -> list[Diagnostic]:
    """``writers.pdf.declaration_problems`` of the chapters' style attributes, kept by the
    values: an unchanged rebuild does without importing WeasyPrint. The places are found
    anew (``style_attributes``): an edit above an attribute moves its warning."""
    values = style_attributes.values(book)
    if not values:
        return []
    key = cache.digest(cache.environment(), "style-attributes", *values)
    found = store.get("style-attributes", key)
    if not (isinstance(found, dict) and all(
            isinstance(messages, list) and all(isinstance(m, str) for m in messages)
            for messages in found.values())):
        from .writers import pdf
        found = pdf.declaration_problems(values)
        store.put("style-attributes", key, found)
    return style_attributes.warnings(book, found)


def glyph_warnings(book: Book, settings: Config, store: cache.Store) -> list[Diagnostic]:
    """``glyphs.missing``, kept by the book as read, the files book.toml names (the
    bibliography) and the project's styles and fonts: it reads every chapter's text, and
    a font added to styles/fonts/ must be seen, which the citations' key does not see."""
    files = [*cache.files(settings.project / "styles"), *_named_files(settings)]
    key = cache.digest(cache.environment(), "glyphs", _material(settings, settings, book),
                       _digest_inside(settings.project, files))

    def computed() -> list[Diagnostic]:
        from . import glyphs
        return glyphs.missing(settings, book)
    return _kept_warnings(store, "glyphs", key, computed)


def _chapter_key(chapter: Chapter, language: str, project: Path) -> str:
    return cache.digest(cache.environment(), "typography", language,
                        cache.relative(repr(chapter), project))


def _cached_chapter(store: cache.Store, key: str) -> Chapter | None:
    found = store.get("chapters", key)
    try:
        chapter = codec.decode(found) if found is not None else None
    except Exception:  # see ``cited``: a miss
        return None
    return chapter if isinstance(chapter, Chapter) else None


def typeset(book: Book, store: cache.Store, project: Path) -> tuple[Book, list[bool]]:
    """``typography.apply``, reusing chapters set before; which chapters came from the cache."""
    from . import typography  # the citation grain alone does not need it (see above)
    language = book.meta.language
    keys = [_chapter_key(chapter, language, project) for chapter in book.chapters]
    found = [_cached_chapter(store, key) for key in keys]
    todo = tuple(ch for ch, hit in zip(book.chapters, found, strict=True) if hit is None)
    applied = typography.apply(replace(book, chapters=todo))  # and the title page
    fresh = iter(applied.chapters)
    chapters = tuple(hit if hit is not None else next(fresh) for hit in found)
    for key, chapter, hit in zip(keys, chapters, found, strict=True):
        if hit is None:
            _put(store, "chapters", key, chapter)
    return replace(applied, chapters=chapters), [hit is not None for hit in found]


def _referenced(book: Book, settings: Config) -> list[Path]:
    """Local files the chapters point at (images), wherever they are."""
    names = {name for chapter in book.chapters for name in _SRC.findall(chapter.html)}
    shown = images.sources(settings.project, [n for ch in book.chapters for n in ch.images])
    return sorted({*shown, *(settings.manuscript / name for name in names)})


def edition_key(fmt: str, book: Book, settings: Config) -> str:
    """Everything one edition is made from."""
    project = settings.project
    sources = [*cache.files(project / "manuscript"), *cache.files(project / "styles"),
               *cache.files(project / "templates"), *_referenced(book, settings)]
    if settings.cover:
        sources.append(settings.manuscript / settings.cover)
    return cache.digest(cache.environment(), "edition", fmt, _material(settings, settings, book),
                        os.environ.get("SOURCE_DATE_EPOCH", ""), _digest_inside(project, sources))


def _product(fmt: str, path: Path) -> str:
    """The digest of what an edition wrote: its file, or the HTML edition's whole folder."""
    return cache.tree_digest(path.parent) if fmt == "html" else cache.files_digest([path])


def kept(fmt: str, key: str, out_dir: Path, store: cache.Store) -> Path | None:
    """The edition's path when the last build wrote it from the same inputs and it is intact
    (``refreshed`` marks it as fresh once the build has succeeded)."""
    record = store.get("editions", fmt)
    if not isinstance(record, dict) or record.get("inputs") != key:
        return None
    name = record.get("path")
    if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts:
        return None  # an edition lives in OUT
    path = out_dir / name
    if not path.is_file() or _product(fmt, path) != record.get("output"):
        return None
    return path


def refreshed(path: Path) -> Path:
    """A kept edition touched, so ``make`` sees it as fresh as its sources."""
    os.utime(path)
    return path


def record(fmt: str, key: str, path: Path, out_dir: Path, store: cache.Store) -> None:
    """Remember what this build wrote for ``fmt`` and from what."""
    store.put("editions", fmt, {"inputs": key, "path": path.relative_to(out_dir).as_posix(),
                                "output": _product(fmt, path)})
