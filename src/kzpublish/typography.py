"""Typography for the book's language, applied once to the resolved Book.

Pure functions over HTML text nodes (never inside tags, attributes, code or
URLs). This first cut keeps the text as written; the language rules
(quotes, non-breaking spaces, dashes) arrive with issue #5.
"""

from __future__ import annotations

from .model import Book


def apply(book: Book) -> Book:
    """Return the book with its text set for its language."""
    return book
