"""Which CSL locale renders what: the book's, or each reference's own language.

citeproc-py gives a style ONE locale list (``Style.locales``: the style's own
``cs:locale`` elements, then the locale file, then en-US) and every term, date
format and locale option (``punctuation-in-quote``…) is looked up through it. A
book whose entries keep their own language (book.toml ``entry-language = "own"``,
GOST R 7.0.5 / 7.1: a record is described in the language of the source) needs
one list per language. So ``Style.locales`` becomes a property: the list of the
locale made active by ``active()`` while one item's cite or entry renders, else
the book's. Switching the list, rather than loading a style per language, keeps
one set of registered cites, so sorting and disambiguation still see the whole
book, and the style's delimiters and affixes (not terms) stay as they are.

Term look-ups are memoised here too (``_cached_term``): each locale element keeps
its own cache, so several languages never mix their terms.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import citeproc
from citeproc.model import Locale, Style

from .. import intl

LOCALES = Path(citeproc.__file__).parent / "data" / "locales"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class EntryLanguage(Enum):
    """book.toml ``entry-language``: whose language an entry's terms and dates are in."""

    OWN = "own"
    """Each reference's own ``language`` (Russian practice; the default)."""
    BOOK = "book"
    """The book's language for every entry (Pandoc's and citeproc-js's way)."""


_ACTIVE: contextvars.ContextVar[str | None] = contextvars.ContextVar("kz_locale", default=None)
"""The CSL locale (e.g. "en-US") of the item being rendered; None: the book's."""


@cache
def _available() -> list[str]:
    """The locale files citeproc-py ships (read once: every reference's language asks)."""
    return sorted(p.name[len("locales-"):-len(".xml")] for p in LOCALES.glob("locales-*.xml"))


def matching_locale(language: str) -> str | None:
    """The CSL locale for a BCP 47 tag: exact match, else same language; None if none."""
    available = _available()
    if language in available:
        return language
    primary = language.split("-")[0].lower()
    preferred = {"en": "en-US", "pt": "pt-PT", "de": "de-DE", "fr": "fr-FR", "zh": "zh-CN"}
    if primary in preferred:
        return preferred[primary]
    matches = [tag for tag in available if tag.split("-")[0].lower() == primary]
    return matches[0] if matches else None


def locale_for(language: str) -> str:
    """The citeproc-py locale for the book's language; en-US when CSL has none for it."""
    return matching_locale(language) or "en-US"


def style_locales_first(style: Any, language: str) -> None:
    """A book in a language CSL has no locale for (``locale_for`` gave en-US) takes the
    terms the style defines for that language first, as citeproc-js does (the CSL test
    suite's locale_NonExistentLocaleDef): a style's ``<locale xml:lang="eo">`` is its
    Esperanto, en-US filling the gaps. citeproc-py looks only for en-US's."""
    if matching_locale(language) is not None:
        return
    primary = language.split("-")[0].lower()
    own = [locale for locale in style.findall("cs:locale", style.nsmap)
           if str(locale.get(_XML_LANG) or "").split("-")[0].lower() == primary]
    own.sort(key=lambda locale: locale.get(_XML_LANG) != language)  # the dialect first
    for locale in own:
        locale.style = style
    style.locales[:0] = own


def own_locale(value: Any, book_language: str) -> tuple[str, str] | None:
    """(BCP 47 tag, CSL locale) of a reference's ``language``; None if either is unknown.

    ``book_language`` lets a Russian book's data name languages in Russian too
    ("английский").
    """
    tag = intl.language_tag(value, book_language) if isinstance(value, str) else None
    locale = matching_locale(tag) if tag else None
    return (tag, locale) if tag and locale else None


def load(style: Any, locale: str) -> None:
    """Give STYLE (a ``Style`` root) the locale list of LOCALE beside the ones it has."""
    if locale not in style.__dict__.get("_kz_locales", {}):
        style.set_locale_list(locale, validate=False)


@contextmanager
def active(locale: str | None) -> Iterator[None]:
    """Render with LOCALE's terms, dates and options (None: the book's) inside the block."""
    token = _ACTIVE.set(locale)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


_original_set_locale_list = Style.set_locale_list


def _set_locale_list(self: Any, output_locale: str, validate: bool = True) -> None:
    """citeproc-py's list for OUTPUT_LOCALE, filed under it; the first one set is the book's."""
    self.__dict__.setdefault("_kz_book_locale", output_locale)
    token = _ACTIVE.set(output_locale)  # ``_LocaleLists.__set__`` files the new list here
    try:
        _original_set_locale_list(self, output_locale, validate)
    finally:
        _ACTIVE.reset(token)


class _LocaleLists:
    """``Style.locales``: the active locale's list, else the book's."""

    def __get__(self, style: Any, owner: Any = None) -> Any:
        if style is None:
            return self
        lists = style.__dict__["_kz_locales"]
        active_list = lists.get(_ACTIVE.get())
        return active_list if active_list is not None else lists[style.__dict__[
            "_kz_book_locale"]]

    def __set__(self, style: Any, value: list[Any]) -> None:
        style.__dict__.setdefault("_kz_locales", {})[_ACTIVE.get()] = value


def memo_for_list_in_use(style: Any, slot: str) -> dict[Any, Any]:
    """A dict kept on ``style`` for what is found in the locale list in use (the style's
    terms, its quotation marks…): each language's list gets its own, so languages never
    mix. The list is held beside its dict, so its ``id`` is never reused."""
    lists = style.__dict__.setdefault(slot, {})
    in_use = style.locales
    held = lists.get(id(in_use))
    if held is None or held[0] is not in_use:
        held = lists[id(in_use)] = (in_use, {})
    return held[1]  # type: ignore[no-any-return]


_original_get_term = Locale.get_term
_MISSING = object()


def _cached_term(self: Any, name: str, form: str | None = None,
                 zero_padded: bool = False) -> Any:
    """A locale's term, cached on the locale (the style holds its locales)."""
    cache = self.__dict__.setdefault("_kz_terms", {})
    key = (name, form, zero_padded)
    if key not in cache:
        try:
            cache[key] = _original_get_term(self, name, form, zero_padded)
        except IndexError:
            cache[key] = _MISSING
    if cache[key] is _MISSING:
        raise IndexError(name)
    return cache[key]


Style.set_locale_list = _set_locale_list
Style.locales = _LocaleLists()
Locale.get_term = _cached_term
