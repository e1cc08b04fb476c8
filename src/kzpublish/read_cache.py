"""The book as read, kept in the build cache with every file reading looked at.

Half of an unchanged rebuild of a 1,000-citation book was reading it: importing
markdown-it-py and the reader's rules, then parsing the chapters (issue 16). ``read``
keeps the book under what reading is given — the chapters' bytes, the settings and the
code (``cache.environment``) — and beside it each other file reading looked at: an image,
the files an SVG loads, a stylesheet raw HTML links, a file named but missing. Every one
passes the project's boundary check first, which lists them (``confine.recording``). The
kept book is used only while each is as it was then — the same bytes, still no file, a
link still leading to the same place —, so an image added, replaced or relinked reads the
book again.

One entry is kept, the last reading's: a long book's is megabytes, and any edit reads every
chapter again (notes, examples and heading ids are numbered across the book).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from . import cache, codec, confine
from .config import Config
from .model import Book

_KIND, _SLOT = "reading", "book"


class Reading(NamedTuple):
    """The book as read, and whether it came from the cache."""

    book: Book
    cached: bool
    keep: Callable[[], None]
    """Stores the book in the cache (nothing to do when it came from there). The pipeline
    calls it once the citations have passed: a build refused before its writers leaves
    the cache as it was."""


def read(settings: Config, store: cache.Store) -> Reading:
    """``reader.read``, or the book it gave last when nothing it read has changed."""
    key = _key(settings) if store.folder is not None else None
    kept = _kept(store.get(_KIND, _SLOT), key, settings.project) if key else None
    if kept is not None:
        return Reading(kept, True, _nothing)
    from . import reader  # only now: a hit does without markdown-it-py and the rules
    with confine.recording() as looked_at:
        book = reader.read(settings)
    if key is None:
        return Reading(book, False, _nothing)
    return Reading(book, False, partial(_keep, store, key, book, sorted(looked_at),
                                        settings.project))


def _nothing() -> None:
    """``Reading.keep`` with nothing to keep."""


def _key(settings: Config) -> str:
    """What reading is given: the settings, the chapters' bytes, the code."""
    chapters = [settings.manuscript / name for name in settings.chapters]
    return cache.digest(cache.environment(), _KIND,
                        cache.relative(repr(settings), settings.project),
                        cache.files_digest(chapters, settings.project))


def _keep(store: cache.Store, key: str, book: Book, files: list[Path], project: Path) -> None:
    try:
        value = {"inputs": key, "files": codec.encode(files), "seen": _seen(files, project),
                 "book": codec.encode(book)}
    except TypeError:  # a model type the codec does not know yet: simply not kept
        return
    store.put(_KIND, _SLOT, value)


def _kept(found: Any, key: str, project: Path) -> Book | None:
    """The stored book, if it was stored for ``key`` and each file reading looked at is as it
    was then; else None (a miss, whatever does not fit)."""
    if not isinstance(found, dict) or found.get("inputs") != key:
        return None
    try:
        files = codec.decode(found["files"])
        if not (isinstance(files, list) and all(isinstance(file, Path) for file in files)):
            return None
        if _seen(files, project) != found["seen"]:
            return None
        book = codec.decode(found["book"])
    except Exception:  # an entry that does not fit is a miss, whatever it trips on
        return None
    return book if isinstance(book, Book) else None


def _seen(files: list[Path], project: Path) -> str:
    """What reading found at ``files``: where each leads (symlinks followed) and its bytes,
    or that it is no file. One leading out of the project is not read, even to hash it."""
    parts: list[str | bytes] = []
    for path in files:
        target = confine.inside(project, path)
        parts.append(cache.relative(repr((path, target)), project))
        try:
            parts.append(target.read_bytes() if target and target.is_file() else b"\0no file")
        except OSError:
            parts.append(b"\0unreadable")
    return cache.digest(*parts)
