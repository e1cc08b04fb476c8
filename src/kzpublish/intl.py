"""PyICU adapter and the book's words: collation, transliteration, dates, labels.

A Russian reader expects a reference list ordered А–Я first, then A–Z;
Python's code-point order puts Latin first. ICU's CLDR collation for ``ru``
reorders Cyrillic ahead of Latin, and ``en`` gives the standard Unicode
order, so the book's language alone decides — no hand-made tables.

PyICU is imported on first use (``_icu``), not with the module: reading a book needs
only ``labels`` and, for an ASCII title, ``slug``, and importing ICU was a twentieth of a
rebuild with nothing changed (issue 7).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as Date
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import icu


@cache
def _icu() -> ModuleType:
    """PyICU (see the module docstring for why it is imported here)."""
    import icu
    return icu


@cache
def _collator(language: str) -> icu.Collator:
    return _icu().Collator.createInstance(_locale(language))


def sort_key(language: str) -> Callable[[str], bytes]:
    """A key function that orders strings as a reader of ``language`` expects."""
    return _collator(language).getSortKey


@cache
def _to_ascii() -> icu.Transliterator:
    return _icu().Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def slug(title: str) -> str:
    """A file-name-safe slug of a title in any script («Война и мир» → "voina-i-mir").

    An ASCII title skips the transliterator: its rules change nothing in ASCII but the
    case, and creating it costs more than reading a chapter (every build reads the title).
    """
    ascii_title = title.lower() if title.isascii() else _to_ascii().transliterate(title)
    words = re.findall(r"[a-z0-9]+", ascii_title)
    return "-".join(words)[:60].strip("-") or "book"


def human_date(iso: str, language: str) -> str:
    """A YYYY-MM-DD date as a reader of ``language`` writes it («24 июня 2025 г.»)."""
    day = Date.fromisoformat(iso)
    icu = _icu()
    style = icu.DateFormat.createDateInstance(icu.DateFormat.LONG, _locale(language))
    style.setTimeZone(icu.TimeZone.getGMT())
    moment = icu.GregorianCalendar(icu.TimeZone.getGMT())
    moment.set(day.year, day.month - 1, day.day)
    return style.format(moment.getTime())


@cache
def quotes(language: str) -> tuple[str, str, str, str]:
    """The quotation marks of ``language`` as CLDR gives them: outer opening and closing,
    inner opening and closing (German „…“ and ‚…‘, French «…», Polish „…”)."""
    icu = _icu()
    data = icu.LocaleData(language.replace("-", "_"))
    kinds = icu.ULocaleDataDelimiterType
    marks = (data.getDelimiter(kind) for kind in (
        kinds.QUOTATION_START, kinds.QUOTATION_END,
        kinds.ALT_QUOTATION_START, kinds.ALT_QUOTATION_END))
    opening, closing, inner_opening, inner_closing = marks
    return opening, closing, inner_opening, inner_closing


def _locale(language: str) -> icu.Locale:
    return _icu().Locale(language.replace("-", "_"))


_LABELS = {
    "ru": {"contents": "Содержание", "skip": "Перейти к тексту", "pages": "Страницы",
           "references": "Список литературы", "notes": "Примечания", "back": "Назад к тексту",
           "landmarks": "Ориентиры"},
    "uk": {"contents": "Зміст", "skip": "Перейти до тексту", "pages": "Сторінки",
           "references": "Список літератури", "notes": "Примітки", "back": "Назад до тексту",
           "landmarks": "Орієнтири"},
    "kk": {"contents": "Мазмұны", "skip": "Мәтінге өту", "pages": "Беттер",
           "references": "Пайдаланылған әдебиеттер", "notes": "Ескертпелер",
           "back": "Мәтінге оралу", "landmarks": "Бағдарлар"},
    "en": {"contents": "Contents", "skip": "Skip to text", "pages": "Pages",
           "references": "References", "notes": "Notes", "back": "Back to text",
           "landmarks": "Landmarks"},
    "de": {"contents": "Inhalt", "skip": "Zum Text", "pages": "Seiten",
           "references": "Literatur", "notes": "Anmerkungen", "back": "Zurück zum Text",
           "landmarks": "Orientierungspunkte"},
    "fr": {"contents": "Table des matières", "skip": "Aller au texte", "pages": "Pages",
           "references": "Bibliographie", "notes": "Notes", "back": "Retour au texte",
           "landmarks": "Repères"},
}


# Captions and cross-references (``crossref``): pandoc-crossref's English defaults; GOST
# 7.32 / 2.105 (and DSTU 3008) for Russian and Ukrainian: «Рисунок 1 — Название», «рис. 1»,
# an equation referred to by its number in parentheses; German and French as their
# style guides abbreviate them (Duden's "Abb.", "Tab.", "Gl.", "Abschn."; the French colon
# after a no-break space). Other languages fall back to English.
_CROSSREF_LABELS = {
    "en": {"fig-title": "Figure", "tbl-title": "Table", "lst-title": "Listing",
           "caption-delim": ": ", "fig-ref": "fig.", "fig-refs": "figs.",
           "tbl-ref": "tbl.", "tbl-refs": "tbls.", "eq-ref": "eq.", "eq-refs": "eqns.",
           "eq-ref-number": "{}", "lst-ref": "lst.", "lst-refs": "lsts.",
           "sec-ref": "sec.", "sec-refs": "secs.", "lof": "List of Figures",
           "lot": "List of Tables"},
    "ru": {"fig-title": "Рисунок", "tbl-title": "Таблица", "lst-title": "Листинг",
           "caption-delim": " — ", "fig-ref": "рис.", "fig-refs": "рис.",
           "tbl-ref": "табл.", "tbl-refs": "табл.", "eq-ref": "", "eq-refs": "",
           "eq-ref-number": "({})", "lst-ref": "листинг", "lst-refs": "листинги",
           "sec-ref": "разд.", "sec-refs": "разд.", "lof": "Список рисунков",
           "lot": "Список таблиц"},
    "uk": {"fig-title": "Рисунок", "tbl-title": "Таблиця", "lst-title": "Лістинг",
           "caption-delim": " — ", "fig-ref": "рис.", "fig-refs": "рис.",
           "tbl-ref": "табл.", "tbl-refs": "табл.", "eq-ref": "", "eq-refs": "",
           "eq-ref-number": "({})", "lst-ref": "лістинг", "lst-refs": "лістинги",
           "sec-ref": "розд.", "sec-refs": "розд.", "lof": "Перелік рисунків",
           "lot": "Перелік таблиць"},
    "de": {"fig-title": "Abbildung", "tbl-title": "Tabelle", "lst-title": "Listing",
           "caption-delim": ": ", "fig-ref": "Abb.", "fig-refs": "Abb.",
           "tbl-ref": "Tab.", "tbl-refs": "Tab.", "eq-ref": "Gl.", "eq-refs": "Gl.",
           "eq-ref-number": "{}", "lst-ref": "Listing", "lst-refs": "Listings",
           "sec-ref": "Abschn.", "sec-refs": "Abschn.", "lof": "Abbildungsverzeichnis",
           "lot": "Tabellenverzeichnis"},
    "fr": {"fig-title": "Figure", "tbl-title": "Tableau", "lst-title": "Listing",
           "caption-delim": "\u00a0: ", "fig-ref": "fig.", "fig-refs": "fig.",
           "tbl-ref": "tableau", "tbl-refs": "tableaux", "eq-ref": "éq.", "eq-refs": "éq.",
           "eq-ref-number": "{}", "lst-ref": "listing", "lst-refs": "listings",
           "sec-ref": "section", "sec-refs": "sections", "lof": "Table des figures",
           "lot": "Liste des tableaux"},
}


def primary(language: str) -> str:
    """The language of a BCP 47 tag without its region or script: "ru" of "ru-RU" (and of
    the POSIX "ru_RU" some data carries)."""
    return language.replace("_", "-").split("-")[0].lower()


def labels(language: str) -> dict[str, str]:
    """The words kzpublish itself prints (headings, links, captions), in the book's language;
    English for any it has no word for."""
    code = primary(language)
    return {**_LABELS["en"], **_CROSSREF_LABELS["en"], **_LABELS.get(code, {}),
            **_CROSSREF_LABELS.get(code, {})}


def language_tag(value: str, book_language: str = "en") -> str | None:
    """A reference's ``language`` as a BCP 47 tag, or None when it names no language.

    Reference managers write it every way: a tag ("en-US", "ru_RU", "rus") or a name
    ("English", "русский", "Russian"). ICU knows both — the ISO 639 codes and each
    language's name in English, in itself and in the book's language — so no table
    of our own is kept.
    """
    text = value.strip().replace("_", "-")
    icu = _icu()
    try:
        tag = icu.Locale.forLanguageTag(text)
    except icu.ICUError:
        tag = None
    if tag is not None and tag.getLanguage() in _iso_languages():
        return str(tag.toLanguageTag())
    return _language_names(book_language).get(text.casefold())


@cache
def _iso_languages() -> frozenset[str]:
    return frozenset(_icu().Locale.getISOLanguages())


@cache
def _language_names(book_language: str) -> dict[str, str]:
    """Language name (case-folded) → ISO code; two-letter codes win a shared name."""
    codes = sorted(_iso_languages(), key=lambda code: (len(code), code))
    names: dict[str, str] = {}
    for code in codes:
        for reader in ("en", code, book_language):
            name = _icu().Locale(code).getDisplayLanguage(_locale(reader))
            if name != code:
                names.setdefault(str(name).casefold(), code)
    return names
