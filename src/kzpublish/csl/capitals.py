"""A term that opens a note's citation or an entry starts with a capital, as citeproc-js
prints it.

citeproc-js capitalises the first letter of a ``cs:text term`` rendered before anything
else of a note style's citation (in its first cite, or in a cite whose prefix ends a
sentence: ``ends_sentence``; an in-text style's citations are left alone) or of a
bibliography entry (any style): McGill's "ibid" opens a footnote as "Ibid", a
bibliography entry beginning with the term "in" reads "In …". It capitalises the term
before the element's own formatting, so ``text-case="lowercase"`` (OSCOLA's "ibid")
keeps it small; a group left out for want of variables does not count as
rendered before. citeproc-py prints terms as the locale spells them.

What "before anything else" means depends on which groups survive, which only the
finished text tells. So a cite or entry that begins with a small letter is rendered again
with every term capitalised (``capitalising``) and takes the first letter of that second
text (``opening``): it differs from the first only when a term gave it. Most cites and
entries begin with a capital (a name, a title) and are rendered once.
"""

from __future__ import annotations

import contextvars
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from citeproc.model import Text

_CAPITALISING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kz_capitalising", default=False)
_TAG_OR_CHARACTER = re.compile(r"<[^>]*>|&[#\w]+;|.", re.DOTALL)


@contextmanager
def capitalising() -> Iterator[None]:
    """Terms rendered meanwhile start with a capital."""
    token = _CAPITALISING.set(True)
    try:
        yield
    finally:
        _CAPITALISING.reset(token)


def first_letter(html: str) -> tuple[int, str] | None:
    """Where the first letter or digit a reader sees stands in ``html``, and that
    character; None when there is none. Punctuation before it may be the term's own
    affixes: citeproc-js prints "(In)" for a term with brackets that opens a note."""
    for match in _TAG_OR_CHARACTER.finditer(html):
        if match[0].isalnum():
            return match.start(), match[0]
    return None


_TRAILING_QUOTES = re.compile("[\"'\u201d\u2019\u00bb\u202f\u00a0 ]+$")
_SENTENCE_END = (":", ".", ";", "!", "?")


def ends_sentence(prefix: str) -> bool:
    """Whether an author's prefix (HTML) ends a sentence, so that the cite after it opens
    one: its last mark before closing quotes is a stop and it holds more than one word.
    citeproc-js capitalises a term that opens such a cite ("This has been said. Ibid."),
    but not after a lone word ("Nocapsafter. ibid.", which may be an abbreviation)."""
    text = _TRAILING_QUOTES.sub("", html.unescape(re.sub(r"<[^>]+>", "", prefix)))
    return text.endswith(_SENTENCE_END) and " " in prefix.strip()


def starts_small(html: str) -> bool:
    """Whether the first letter or digit a reader sees is a small letter."""
    first = first_letter(html)
    return first is not None and first[1].islower()


def opening(html: str, capitalised: str) -> str:
    """``html`` with its first letter as ``capitalised`` (the same text rendered with
    terms capitalised) has it, when only its case differs."""
    first, again = first_letter(html), first_letter(capitalised)
    if first is None or again is None or first[1] == again[1] \
            or first[1].upper() != again[1]:
        return html
    return html[:first[0]] + again[1] + html[first[0] + 1:]


_original_term = Text._term


def _term(self: Any, item: Any) -> Any:
    """citeproc-py's term, capitalised first while ``capitalising``."""
    text = _original_term(self, item)
    if not _CAPITALISING.get() or not text:
        return text
    return text.capitalize_first() if hasattr(text, "capitalize_first") \
        else text[:1].upper() + text[1:]


Text._term = _term
