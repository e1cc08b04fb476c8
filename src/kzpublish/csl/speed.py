"""Speed mends to citeproc-py 0.11: the same output, without its repeated look-ups.

citeproc-py re-derives, on every render, things that depend only on the style and
its locales: an element's root (``getroottree().getroot()``), XPath searches for an
element's ``cs:citation``/``cs:bibliography`` ancestor (every ``cs:name`` option
asks, 13 times a name), the locale's style options, an element's formatting
attributes; and it reaches a cite's reference through a chain of properties and
``CustomDict.__getattr__``/``__getitem__`` Python frames (≈225 times a render).
It also keeps the registered keys in a list and tests membership in it (``register``,
``is_bad``, ``number``), which is quadratic in the number of references. On 1,000
references these took more than half of the citation stage's time.

Each mend below memoises one such look-up on the element it belongs to (lxml keeps
a Python proxy's attributes only while the proxy lives, so ``Engine`` holds every
element of the style and its locales: see ``keep_alive``) or replaces a list scan
with a set or dict kept in step with the list. None changes what is rendered; the
tests in tests/unit/test_csl_speed.py check each against citeproc-py's own method.

What is *not* memoised here, on purpose: locale terms (``csl._cached_term``, per
language), anything that reads the reference or the cite (positions, year suffixes),
and the attributes of locale ``cs:date-part`` elements, which citeproc-py rewrites
while it renders (a style's ``cs:date-part`` overrides are copied onto them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc.frontend import CitationStylesBibliography
from citeproc.model import (
    CitationStylesElement,
    Date,
    Date_Part,
    Formatted,
    If,
    Locale,
    Name,
    Parent,
    Style,
    Text,
)
from citeproc.source import CitationItem, CustomDict, VariableError

# --- element look-ups that depend only on the style ------------------------------------------


def _get_root(self: Any) -> Any:
    """The element's style or locale root, cached on the element.

    Only a root that is a style or locale is cached: citeproc-py builds a missing
    ``cs:name`` standalone before it inserts it into its ``cs:names``.
    """
    cached = self.__dict__.get("_kz_root")
    if cached is not None:
        return cached
    root = self.getroottree().getroot()
    if isinstance(root, (Style, Locale)):
        self.__dict__["_kz_root"] = root
    return root


def _xpath_search(self: Any, expression: str) -> list[Any]:
    """XPath results cached by expression: the style's tree never changes shape while it
    renders (its only insertion, a default ``cs:name``, is not searched for by XPath).
    The cached list is shared; citeproc-py and the mends only index or test it."""
    cache = self.__dict__.get("_kz_xpath")
    if cache is None:
        cache = self.__dict__["_kz_xpath"] = {}
    found = cache.get(expression)
    if found is None:
        found = cache[expression] = self.xpath(expression, namespaces=self.nsmap)
    return found  # type: ignore[no-any-return]


_original_locale_option = CitationStylesElement.get_locale_option


def _get_locale_option(self: Any, name: str) -> Any:
    """A locale style option (punctuation-in-quote…), cached on the root; every cs:text asks."""
    root = self.get_root()
    cache = root.__dict__.setdefault("_kz_locale_options", {})
    if name not in cache:
        cache[name] = _original_locale_option(self, name)
    return cache[name]


_original_get_macro = CitationStylesElement.get_macro


def cached_macro(self: Any, name: str) -> Any:
    """Macro by name, cached on the style's root."""
    root = self.get_root()
    cache = root.__dict__.setdefault("_kz_macros", {})
    if name not in cache:
        cache[name] = _original_get_macro(self, name)
    return cache[name]


def memoised(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """An element's yes/no question about the style (calls a variable? a locale date?)."""
    def answer(self: Any) -> bool:
        if "_kz_calls" not in self.__dict__:
            self.__dict__["_kz_calls"] = original(self)
        return bool(self.__dict__["_kz_calls"])
    answer.__doc__ = original.__doc__
    return answer


_original_name_option = Name.get_option


def _name_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
    """A cs:name option, cached per calling context unless a sort key overrides it.

    citeproc-py searches the context's cs:citation/cs:bibliography ancestor for each of
    13 options on every name it renders.
    """
    if sort_options and name in sort_options:
        return _original_name_option(self, name, context, sort_options)
    cache = self.__dict__.setdefault("_kz_options", {})
    key = (name, context)
    if key not in cache:
        cache[key] = _original_name_option(self, name, context, None)
    return cache[key]


_original_format = Formatted.format
_FONT_DEFAULTS = (("font-style", "normal"), ("font-variant", "normal"),
                  ("font-weight", "normal"), ("text-decoration", "none"),
                  ("vertical-align", "baseline"))


def _format(self: Any, string: Any) -> Any:
    """Formatting attributes read once per element: most elements have none, and
    citeproc-py asked for the formatter and each of five attributes on every call.
    Locale date parts are read every time (citeproc-py rewrites their attributes)."""
    plain = self.__dict__.get("_kz_plain")
    if plain is None:
        plain = all(self.get(name, default) == default for name, default in _FONT_DEFAULTS)
        if not isinstance(self, Date_Part):
            self.__dict__["_kz_plain"] = plain
    if not plain:
        return _original_format(self, string)
    return str(string) if isinstance(string, (int, float)) else string


def _split_attribute(self: Any, name: str, lower: bool = False) -> tuple[str, ...]:
    cache = self.__dict__.setdefault("_kz_split", {})
    if name not in cache:
        words = self.get(name).split()
        cache[name] = tuple(word.lower() for word in words) if lower else tuple(words)
    return cache[name]  # type: ignore[no-any-return]


def _if_type(self: Any, item: Any) -> list[bool]:
    """``type="book chapter"``: the reference looked up once, not once per type."""
    kind = item.reference.type
    return [name == kind for name in _split_attribute(self, "type", lower=True)]


def _if_variable(self: Any, item: Any) -> list[bool]:
    reference = item.reference
    return [("locator" in item) if name == "locator" else (name in reference)
            for name in (v.replace("-", "_") for v in _split_attribute(self, "variable"))]


# --- the cite and its reference ----------------------------------------------------------------

def _missing(self: Any, key: Any) -> Any:
    """A missing CSL variable, as citeproc-py's own ``__getitem__`` reported it."""
    raise VariableError


def _reference(self: Any) -> Any:
    """``item.reference`` straight from the dicts the properties read it from."""
    return self["citation"]["bibliography"].source[self["key"]]


def _keys_index(bibliography: Any) -> dict[str, int]:
    """Position of each registered key, rebuilt when the key list changed.

    citeproc-py only appends to ``keys`` (register) or replaces it with a permutation
    (sort), so the same list object at the same length has the same contents.
    """
    keys = bibliography.keys
    cached = bibliography.__dict__.get("_kz_keys")
    if cached is None or cached[0] is not keys or cached[1] != len(keys):
        index: dict[str, int] = {}
        for position, key in enumerate(keys):
            index.setdefault(key, position)
        cached = bibliography.__dict__["_kz_keys"] = (keys, len(keys), index)
    return cached[2]  # type: ignore[no-any-return]


def _register(self: Any, citation: Any, callback: Any = None) -> None:
    """citeproc-py's ``register`` with the key test on a dict instead of the list."""
    citation.bibliography = self
    for item in citation.cites:
        if item.key in self.source:
            if item.key not in _keys_index(self):
                self.keys.append(item.key)
                self.items.append(item)
        elif callback is not None:
            callback(item)


def _is_bad(self: Any) -> bool:
    return self["key"] not in _keys_index(self["citation"]["bibliography"])


def _number(self: Any) -> int:
    bibliography = self["citation"]["bibliography"]
    index = _keys_index(bibliography)
    if self["key"] not in index:
        raise ValueError(f"{self['key']!r} is not in list")  # as list.index did
    return index[self["key"]] + 1


def keep_alive(style: Any) -> list[Any]:
    """Every element of the style and its locales, to hold while the style renders.

    lxml drops a proxy (and the look-ups cached on it) when nothing refers to it;
    the locales' terms and dates are searched as often as the style's own elements.
    """
    elements = list(style.root.iter())
    for locale in style.root.locales:
        if locale.getroottree().getroot() is not style.root:
            elements.extend(locale.iter())
    return elements


def apply() -> None:
    """Install the mends (idempotent); ``csl`` calls this once on import."""
    CitationStylesElement.get_root = _get_root
    CitationStylesElement.xpath_search = _xpath_search
    CitationStylesElement.get_locale_option = _get_locale_option
    CitationStylesElement.get_macro = cached_macro
    Parent.calls_variable = memoised(_ORIGINAL_PARENT_CALLS)
    Text.calls_variable = memoised(_ORIGINAL_TEXT_CALLS)
    Date.is_locale_date = memoised(_ORIGINAL_IS_LOCALE_DATE)
    Name.get_option = _name_option
    Formatted.format = _format
    If._type = _if_type
    If._variable = _if_variable
    if "__getitem__" in CustomDict.__dict__:
        del CustomDict.__getitem__  # dict's own, which calls __missing__
    CustomDict.__missing__ = _missing
    CustomDict.__getattr__ = dict.__getitem__
    CitationItem.reference = property(_reference)
    CitationItem.is_bad = _is_bad
    CitationItem.number = property(_number)
    CitationStylesBibliography.register = _register


_ORIGINAL_PARENT_CALLS = Parent.calls_variable
_ORIGINAL_TEXT_CALLS = Text.calls_variable
_ORIGINAL_IS_LOCALE_DATE = Date.is_locale_date
