"""PyICU adapter: language-aware sorting and transliteration.

A Russian reader expects a reference list ordered А–Я first, then A–Z;
Python's code-point order puts Latin first. ICU's CLDR collation for ``ru``
reorders Cyrillic ahead of Latin, and ``en`` gives the standard Unicode
order, so the book's language alone decides — no hand-made tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import icu


@cache
def _collator(language: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(language.replace("-", "_")))


def sort_key(language: str) -> Callable[[str], bytes]:
    """A key function that orders strings as a reader of ``language`` expects."""
    return _collator(language).getSortKey


@cache
def _to_ascii() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def slug(title: str) -> str:
    """A file-name-safe slug of a title in any script («Война и мир» → "voina-i-mir")."""
    ascii_title = _to_ascii().transliterate(title)
    words = re.findall(r"[a-z0-9]+", ascii_title)
    return "-".join(words)[:60].strip("-") or "book"
