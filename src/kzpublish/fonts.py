"""fontTools adapter: the vendored fonts cut down to the characters a book uses, and the
characters each font has (``charset``, for ``glyphs``' check).

Screen editions download or unpack every font they carry; Noto with all its
scripts is ~3.5 MB, a subset for one book is a few dozen KB. The HTML edition
gets WOFF2, the EPUB TrueType (every reading system takes it). The PDF is left
to WeasyPrint, which subsets on its own. fontTools comes with WeasyPrint.

Subsetting Noto takes about half a second a face, so results are kept in a
content-addressed cache (``$XDG_CACHE_HOME/kzpublish/fonts``, keyed by the font's
bytes, the characters and the flavour): a rebuild costs nothing, and the cache
can never serve a stale font.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import json
import os
import re
import string
from pathlib import Path

from fontTools.ttLib import TTFont

from .model import Book

# Kept whatever the text: what templates print (dates, labels, pager) may not be in it.
_CYRILLIC = "".join(chr(c) for c in range(0x0410, 0x0450)) + "Ёё"
_ALWAYS = string.printable + _CYRILLIC + "«»„“”‘’‹›–—…№\u00a0\u2009"


def characters(book: Book, *extra: str) -> str:
    """Every character the book shows: its text, titles and the given extra strings."""
    texts = [book.meta.title, book.meta.subtitle, *book.meta.authors, *extra, _ALWAYS]
    for chapter in book.chapters:
        texts.append(chapter.title)
        texts.append(html.unescape(re.sub(r"<[^>]+>", "", chapter.html)))
    return "".join(sorted(set("".join(texts))))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kzpublish" / "fonts"


def subset_font(path: Path, text: str, flavor: str | None = None) -> bytes:
    """The font at ``path`` reduced to ``text``'s characters; ``flavor`` "woff2" or None.

    A WOFF2 is the TrueType subset (from the cache, as the EPUB's) compressed: a build of
    both screen editions subsets each font once, and compressing costs a quarter of
    subsetting. The bytes are the same as subsetting straight to WOFF2 (the flavour only
    changes how fontTools saves the font; test_fonts checks it).
    """
    digest = hashlib.sha256(path.read_bytes() + text.encode() + str(flavor).encode())
    cached = _cache_dir() / f"{digest.hexdigest()}.{flavor or 'ttf'}"
    if cached.is_file():
        return cached.read_bytes()
    data = _compressed(subset_font(path, text), flavor) if flavor else _subset(path, text)
    _keep(cached, data)
    return data


def _keep(cached: Path, data: bytes) -> None:
    """Write a cache file whole (a temp name renamed): a reader never sees half of one."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temp = cached.with_suffix(f".{os.getpid()}.tmp")
        temp.write_bytes(data)
        temp.replace(cached)
    except OSError:
        pass  # a read-only home only costs time


def _subset(path: Path, text: str, flavor: str | None = None) -> bytes:
    """The font reduced to ``text``; saved as ``flavor`` straight (the test's reference).

    fontTools' subsetter is imported here, not with the module: importing it takes 0.15 s,
    and ``charset`` (the check every build runs) does without it."""
    from fontTools import subset
    font = TTFont(str(path), recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the names, the licence among them
    options.notdef_outline = True
    options.flavor = flavor
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    return _saved(font, flavor)


def _compressed(data: bytes, flavor: str) -> bytes:
    """A font file's bytes saved again with ``flavor`` ("woff2")."""
    return _saved(TTFont(io.BytesIO(data), recalcTimestamp=False), flavor)


def _saved(font: TTFont, flavor: str | None) -> bytes:
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def charset(path: Path) -> frozenset[int]:
    """The code points the font at ``path`` has a glyph for (its cmap).

    Kept per file in the process (a watch or serve rebuild asks again; a changed file is
    read again) and on disk beside the subsets, keyed by the font's bytes: reading eight
    cmaps, fontTools' import included, cost a tenth of a second per check."""
    stat = path.stat()
    return _charset(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _charset(path: Path, size: int, mtime_ns: int) -> frozenset[int]:
    cached = _cache_dir() / f"{hashlib.sha256(path.read_bytes()).hexdigest()}.cmap.json"
    try:
        ranges = json.loads(cached.read_text(encoding="utf-8"))
        return frozenset(c for first, last in ranges for c in range(first, last + 1))
    except (OSError, ValueError, TypeError):
        pass  # not there yet, or not what this function wrote: read the font
    codes = frozenset(TTFont(str(path), lazy=True).getBestCmap() or ())
    _keep(cached, json.dumps(_ranges(codes)).encode("utf-8"))
    return codes


def _ranges(codes: frozenset[int]) -> list[tuple[int, int]]:
    """Sorted code points as [first, last] runs: a cmap is a few hundred of them."""
    runs: list[tuple[int, int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs
