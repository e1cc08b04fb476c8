"""fontTools adapter: the vendored fonts cut down to the characters a book uses.

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

import hashlib
import html
import io
import os
import re
import string
from pathlib import Path

from fontTools import subset
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
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temp = cached.with_suffix(f".{os.getpid()}.tmp")
        temp.write_bytes(data)
        temp.replace(cached)
    except OSError:
        pass  # a read-only home only costs time
    return data


def _subset(path: Path, text: str, flavor: str | None = None) -> bytes:
    """The font reduced to ``text``; saved as ``flavor`` straight (the test's reference)."""
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
