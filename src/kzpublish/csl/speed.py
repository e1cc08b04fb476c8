"""Speed mends to citeproc-py 0.11: the same output, without its repeated work.

citeproc-py re-derives, on every render, things that depend only on the style and
its locales: an element's root (``getroottree().getroot()``), XPath searches for an
element's ``cs:citation``/``cs:bibliography`` ancestor (every ``cs:name`` option
asks, 13 times a name), the locale's style options, an element's formatting
attributes and affixes; it reaches a cite's reference through a chain of properties
and ``CustomDict`` Python frames (≈225 times a render); it raises ConditionFailed
for every ``cs:if`` branch not taken; and it keeps the registered keys in a list it
scans (``register``, ``is_bad``, ``number``: quadratic in the references). Those
mends memoise one look-up each on the element it belongs to (lxml keeps a Python
proxy's attributes only while the proxy lives, so ``Engine`` holds every element of
the style and its locales: ``keep_alive``) or keep a dict in step with the list.

Work is also skipped, never reordered: ``lexicographic`` renders a later ``cs:key``
only for items the earlier keys tie (Chicago sorts by six macros), and ``Entries``
takes bibliography entries an earlier build rendered. Both need rendering to be free
of history, which citeproc-py breaks in one case
(``history_free``).

On 1,000 references (chicago-author-date) the citation stage went from ≈18 s to
≈4 s of CPU; what is left is citeproc-py walking the style's tree, ≈1.5 ms a
render of a Chicago entry. The tests in tests/unit/test_csl_speed.py hold each
shortcut against citeproc-py's own code.

A mend is installed only over citeproc-py's own method (``_replace``), so a
correctness mend installed first keeps its place. Not memoised, on purpose: locale
terms (``csl._cached_term``, per language), anything that reads the reference or the
cite (positions, year suffixes), and the attributes of locale ``cs:date-part``
elements, which citeproc-py rewrites while it renders.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import Any

from citeproc.frontend import CitationStylesBibliography
from citeproc.model import (
    Affixed,
    Choose,
    CitationStylesElement,
    ConditionFailed,
    Date,
    Date_Part,
    Formatted,
    Group,
    If,
    Locale,
    Name,
    Names,
    Parent,
    Quoted,
    SomewhatObjectifiedElement,
    Style,
    Term,
    Text,
)
from citeproc.source import CitationItem, CustomDict, VariableError
from citeproc.string import String, join

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


_original_child = SomewhatObjectifiedElement.__getattr__


def _child(self: Any, name: str) -> Any:
    """``element.layout``, ``style.citation``…: the first child of that name, found once
    (citeproc-py searched the style's hundreds of macros for it on every cite).
    Not for cs:names, which may yet receive a default cs:name."""
    if isinstance(self, Names):
        return _original_child(self, name)
    cache = self.__dict__.setdefault("_kz_child", {})
    if name not in cache:
        cache[name] = _original_child(self, name)
    return cache[name]


_original_locale_option = CitationStylesElement.get_locale_option


def _get_locale_option(self: Any, name: str) -> Any:
    """A locale style option (punctuation-in-quote…), cached on the root for the locale
    list in use (``locales`` switches it per entry language); every cs:text asks."""
    root = self.get_root()
    in_use = root.__dict__.get("locales") if isinstance(root, Locale) else root.locales
    cache = root.__dict__.setdefault("_kz_locale_options", {})
    found = cache.get((name, id(in_use)))
    if found is None or found[0] is not in_use:  # the list held: its id is never reused
        found = cache[(name, id(in_use))] = (in_use, _original_locale_option(self, name))
    return found[1]


_original_get_macro = CitationStylesElement.get_macro


def cached_macro(self: Any, name: str) -> Any:
    """Macro by name, from a table of the root's macros made once (citeproc-py compiled
    and ran an XPath per name: Chicago's 300 macros took ~80 ms of every first build).
    The first of a name wins, as the XPath's ``[1]``; a name no macro has is citeproc-py's
    to report."""
    root = self.get_root()
    table = root.__dict__.get("_kz_macros")
    if table is None:
        table = root.__dict__["_kz_macros"] = {}
        for macro in root.iterchildren(_CSL + "macro"):
            table.setdefault(macro.get("name"), macro)
    found = table.get(name)
    return found if found is not None else _original_get_macro(self, name)


def memoised(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """An element's yes/no question about the style (calls a variable? a locale date?)."""
    def answer(self: Any) -> bool:
        if "_kz_calls" not in self.__dict__:
            self.__dict__["_kz_calls"] = original(self)
        return bool(self.__dict__["_kz_calls"])
    answer.__doc__ = original.__doc__
    return answer


_original_name_option = Name.get_option


def name_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
    """A cs:name option, cached per calling context unless a sort key overrides it.

    citeproc-py searches the context's cs:citation/cs:bibliography ancestor for each of
    13 options on every name it renders. ``disambiguation``'s mend, which replaces some
    options while it renders, asks this for the others.
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
    if not _unformatted(self):
        return _original_format(self, string)
    return str(string) if isinstance(string, (int, float)) else string


def _unformatted(element: Any) -> bool:
    plain = element.__dict__.get("_kz_plain")
    if plain is None:
        plain = all(element.get(name, default) == default for name, default in _FONT_DEFAULTS)
        if not isinstance(element, Date_Part):
            element.__dict__["_kz_plain"] = plain
    return bool(plain)


_original_wrap = Affixed.wrap


def _wrap(self: Any, string: Any) -> Any:
    """Affixes read once per element; a plain text without any comes back as it is,
    which is what citeproc-py's seam-normalising concatenation gives then."""
    if not _affixes(self) and type(string) in (str, String):
        return string
    return _original_wrap(self, string)


def _affixes(element: Any) -> str:
    affixes = element.__dict__.get("_kz_affixes")
    if affixes is None:
        affixes = element.get("prefix", "") or element.get("suffix", "")
        if not isinstance(element, Date_Part):  # citeproc-py rewrites locale date parts
            element.__dict__["_kz_affixes"] = affixes
    return affixes  # type: ignore[no-any-return]


_original_quote = Quoted.quote


def _quote(self: Any, string: Any) -> Any:
    """Quotes only where the element asks for them (citeproc-py looked up the locale's
    punctuation-in-quote option, unused, and the attribute on every call)."""
    quoted = self.__dict__.get("_kz_quoted")
    if quoted is None:
        quoted = self.__dict__["_kz_quoted"] = self.get("quotes", "false").lower() == "true"
    return _original_quote(self, string) if quoted else string


_original_text_process = Text.process
original_text_process = _original_text_process
"""citeproc-py's own, for terms and values (``structure``)."""
_TEXT_SOURCES = ("variable", "macro", "term", "value")


def text_kind(element: Any) -> str:
    """Which of its four sources a cs:text renders ("" for none)."""
    kind = element.__dict__.get("_kz_kind")
    if kind is None:
        kind = element.__dict__["_kz_kind"] = next(
            (name for name in _TEXT_SOURCES if name in element.attrib), "")
    return kind  # type: ignore[no-any-return]


def plain_element(element: Any) -> bool:
    """No formatting and no affixes: ``format`` and ``wrap`` give a text as it is."""
    return (not isinstance(element, Date_Part) and _unformatted(element)
            and not _affixes(element))


def text_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """cs:text of a variable or macro, its kind read once per element (citeproc-py
    tested four attributes on every call); terms and values as citeproc-py renders them."""
    kind = text_kind(self)
    if kind != "variable" and kind != "macro":
        return _original_text_process(self, item, context, **kwargs)
    if context is None:
        context = self
    try:
        language = item.reference.language[:2]
    except VariableError:
        language = self.get_root().get("default-locale", "en")[:2]
    if kind == "variable":
        return self._variable(item, context), language
    from . import variables  # here: importing it installs its mends, whose order counts
    macro = self.get_macro(self.get("macro"))  # a call is a group (``variables.as_group``)
    return variables.as_group(macro.render, item, context), language


def _split_attribute(self: Any, name: str, lower: bool = False,
                     underscores: bool = False) -> tuple[str, ...]:
    """A cs:if attribute's values, as citeproc-py compares them, read once per element."""
    cache = self.__dict__.setdefault("_kz_split", {})
    if name not in cache:
        words = self.get(name).split()
        if lower:
            words = [word.lower() for word in words]
        if underscores:
            words = [word.replace("-", "_") for word in words]
        cache[name] = tuple(words)
    return cache[name]  # type: ignore[no-any-return]


_original_single = Term.single.fget
_original_multiple = Term.multiple.fget


def _term_text(original: Callable[[Any], Any], slot: str) -> property:
    """A term element's singular or plural text, read once per term (which term a
    cite needs is still chosen every time, ``csl._cached_term``)."""
    def text(self: Any) -> Any:
        if slot not in self.__dict__:
            self.__dict__[slot] = original(self)
        return self.__dict__[slot]
    return property(text)


# --- cs:choose without exceptions, children without iterators ---------------------------------

def children(self: Any) -> tuple[Any, ...]:
    """An element's children, listed once. Not for cs:names: citeproc-py inserts a default
    cs:name into one that lacks it."""
    found = self.__dict__.get("_kz_children")
    if found is None:
        found = tuple(self.iterchildren())
        if not isinstance(self, Names):
            self.__dict__["_kz_children"] = found
    return found  # type: ignore[no-any-return]


def _type_test(self: Any, item: Any, context: Any) -> tuple[bool, bool]:
    """``type="book chapter"``: (any type matches, all match), the reference read once."""
    kind = item.reference.type
    names = _split_attribute(self, "type", lower=True)
    return kind in names, all(name == kind for name in names)


def _variable_test(self: Any, item: Any, context: Any) -> tuple[bool, bool]:
    reference = item.reference
    found = [("locator" in item) if name == "locator" else (name in reference)
             for name in _split_attribute(self, "variable", underscores=True)]
    return any(found), all(found)


def _listed_test(method: str) -> Callable[[Any, Any, Any], tuple[bool, bool]]:
    """A test whose citeproc-py method (or a mend of it) returns one result per value."""
    def test(self: Any, item: Any, context: Any) -> tuple[bool, bool]:
        results = getattr(self, method)(item)
        return any(results), all(results)
    return test


def _position_test(self: Any, item: Any, context: Any) -> tuple[bool, bool]:
    results = self._position(item, context)
    return any(results), all(results)


_IF_TESTS = (("type", "_type", _type_test), ("variable", "_variable", _variable_test),
             ("is-numeric", "_is_numeric", None),
             ("is-uncertain-date", "_is_uncertain_date", None),
             ("locator", "_locator", None), ("position", "_position", _position_test))


def _tests(self: Any) -> tuple[Callable[[Any, Any, Any], tuple[bool, bool]], ...]:
    """The element's tests, in citeproc-py's order; a method another mend replaced is
    called as it is."""
    return tuple(fast if fast is _position_test or (
                     fast is not None and citeproc_own(type(self), method))
                 else _listed_test(method)
                 for name, method, fast in _IF_TESTS if name in self.attrib)


def if_holds(self: Any, item: Any, context: Any) -> bool:
    """citeproc-py's cs:if test, with the same tests in the same order, each giving
    whether any and whether all of its values hold (citeproc-py joins their lists and
    asks ``match`` of the whole); which tests an element has is read once, and the
    commonest — one ``type`` or one ``variable`` test — made a set look-up."""
    holds = self.__dict__.get("_kz_holds")
    if holds is None:
        holds = self.__dict__["_kz_holds"] = _compiled_test(self)
    return bool(holds(item, context))


def _compiled_test(self: Any) -> Callable[[Any, Any], bool]:
    tests = _tests(self)
    match = self.get("match")
    if tests == (_type_test,):
        kinds = frozenset(_split_attribute(self, "type", lower=True))
        if match == "none":
            return lambda item, context: item.reference.type not in kinds
        if match == "any" or len(kinds) == 1:
            return lambda item, context: item.reference.type in kinds
        every = not kinds  # all of no types holds; all of two different types never does
        return lambda item, context: every
    if tests == (_variable_test,) and "locator" not in (
            variables := _split_attribute(self, "variable", underscores=True)):
        if match == "any":
            return lambda item, context: any(v in item.reference for v in variables)
        if match == "none":
            return lambda item, context: not any(v in item.reference for v in variables)
        return lambda item, context: all(v in item.reference for v in variables)
    return lambda item, context: _all_tests(self, tests, match, item, context)


def _all_tests(self: Any, tests: tuple[Callable[..., tuple[bool, bool]], ...], match: str | None,
               item: Any, context: Any) -> bool:
    some, every = False, True
    for test in tests:
        one, each = test(self, item, context)
        some, every = some or one, every and each
    if match == "any":
        return some
    if match == "none":
        return not some
    return every


_original_if_render = If.render

TRANSPARENT_IF_RENDERS: set[Callable[..., Any]] = set()
"""cs:if renders of other mends that act only on an element with a ``disambiguate``
attribute and call citeproc-py's own for every other (``disambiguation._if_render``):
such an element is tested here, and its cs:choose keeps its shortcuts."""


def plain_if(element: Any) -> bool:
    """Whether a cs:if renders as citeproc-py's own would, so ``if_holds`` may decide it."""
    render = type(element).render
    return render is _if_render or (render in TRANSPARENT_IF_RENDERS
                                    and "disambiguate" not in element.attrib)


def _if_render(self: Any, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
    if not if_holds(self, item, context):
        raise ConditionFailed
    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


def choose_render(self: Any, item: Any, context: Any = None, delimiter: str = "",
                   **kwargs: Any) -> Any:
    """The first branch whose test holds, tested without raising ConditionFailed
    (citeproc-py raises it for every branch not taken: most of them).

    When every test of the cs:choose reads only the item's type and which variables it
    has (most of Chicago's long else-if chains), the branch taken is remembered for each
    such combination and found with one look-up.
    """
    start = 0
    plan = choose_plan(self)
    if plan is not None:
        variables, taken = plan
        reference = item.reference
        key = (reference.type, *[name in reference for name in variables])
        start = taken.get(key, -1)
        if start < 0:
            start = taken[key] = first_branch(self, item, context)
    branches = children(self)
    for index in range(start, len(branches)):
        child = branches[index]
        try:
            if isinstance(child, If) and plain_if(child):  # not when a mend replaced it
                if not if_holds(child, item, context):
                    continue
                return child.render_children(item, context=context, delimiter=delimiter,
                                             **kwargs)
            return child.render(item, context=context, delimiter=delimiter, **kwargs)
        except ConditionFailed:
            continue
    return None


def first_branch(self: Any, item: Any, context: Any) -> int:
    """The index of the first branch whose test holds (or of cs:else), else past the end."""
    branches = children(self)
    for index, child in enumerate(branches):
        if not isinstance(child, If) or if_holds(child, item, context):
            return index
    return len(branches)


def choose_plan(self: Any) -> tuple[tuple[str, ...], dict[tuple[Any, ...], int]] | None:
    """The variables a type-and-variables-only cs:choose reads, and its taken branches;
    None when a test reads anything else (a locator, a position, a number…)."""
    if "_kz_choose" not in self.__dict__:
        variables: list[str] = []
        plan: tuple[tuple[str, ...], dict[tuple[Any, ...], int]] | None = None
        for child in children(self):
            if not isinstance(child, If):
                continue
            tests = _tests(child)
            if not plain_if(child) or not set(tests) <= {
                    _type_test, _variable_test}:
                break
            if _variable_test in tests:
                names = _split_attribute(child, "variable", underscores=True)
                if "locator" in names:
                    break
                variables += [name for name in names if name not in variables]
        else:
            plan = (tuple(variables), {})
        self.__dict__["_kz_choose"] = plan
    return self.__dict__["_kz_choose"]  # type: ignore[no-any-return]


def _kinds(self: Any) -> tuple[tuple[Any, bool], ...]:
    """The element's children, each with whether it is a cs:choose (which is passed the
    delimiter), listed once."""
    found = self.__dict__.get("_kz_kinds")
    if found is None:
        found = tuple((child, isinstance(child, Choose)) for child in children(self))
        if not isinstance(self, Names):
            self.__dict__["_kz_kinds"] = found
    return found  # type: ignore[no-any-return]


def render_children_listed(self: Any, item: Any, delimiter: str = "",
                           **kwargs: Any) -> Any:
    """citeproc-py's ``Parent.render_children`` over the listed children."""
    output = []
    for child, choose in _kinds(self):
        try:
            if choose:
                text = child.render(item, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, **kwargs)
            if text is not None:
                output.append(text)
        except VariableError:
            pass
    return join(output, delimiter) if output else None


def _group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """citeproc-py's ``Group.process`` over the listed children: a group renders only if
    it calls no variable or one of its variables rendered."""
    output = []
    variable_called = variable_rendered = False
    delimiter = self.get("delimiter", "")
    for child, choose in _kinds(self):
        variable_called = variable_called or child.calls_variable()
        try:
            if choose:
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
            if text is not None:
                output.append(text)
                variable_rendered = variable_rendered or child.calls_variable()
        except VariableError:
            pass
    if output and (not variable_called or variable_rendered):
        return self.join(output)
    raise VariableError


# --- cs:sort: later keys only where earlier keys tie ------------------------------------------

_CSL = "{http://purl.org/net/xbiblio/csl}"


def history_free(element: Any) -> bool:
    """Whether rendering an item gives the same text whatever was rendered before.

    Not so when two of the style's dates that use one localized date (``form="text"``)
    override its date parts differently: citeproc-py copies a style's overrides onto
    the locale's ``cs:date-part`` for good, so the next date of that form inherits them
    (IEEE: the accessed date's short month shortens the next issued date's). Work may
    then not be skipped or reordered.
    """
    root = element.get_root()
    style = root.style if isinstance(root, Locale) else root
    cached = style.__dict__.get("_kz_history_free")
    if cached is None:
        cached = style.__dict__["_kz_history_free"] = _overrides_agree(style)
    return bool(cached)


def _overrides_agree(style: Any) -> bool:
    by_form: dict[str, list[dict[str, tuple[tuple[str, str], ...]]]] = {}
    for date in style.iter(_CSL + "date"):
        if date.get("form") is None or any(a.tag == _CSL + "locale" for a in date.iterancestors()):
            continue
        by_form.setdefault(date.get("form"), []).append(
            {part.get("name"): tuple(sorted(part.attrib.items()))
             for part in date.iterchildren(_CSL + "date-part")})
    for dates in by_form.values():
        names = {name for parts in dates for name in parts}
        if any(len({parts.get(name, ()) for parts in dates}) > 1 for name in names):
            return False
    return True


def lexicographic(count: int, column: Callable[[int, list[int]], list[Any]],
                  descending: list[bool]) -> list[int]:
    """Positions 0…count-1 sorted as cs:sort sorts: by the first key, ties by the next…;
    a missing value (None) after every other whatever the direction; stable.

    ``column(k, positions)`` gives key k's values for those positions only: a key is
    rendered just for the items the keys before it left tied (most styles' first key,
    the author, parts nearly all of them; Chicago has six macro keys).
    """
    def order(group: list[int], index: int) -> list[int]:
        if len(group) < 2 or index == len(descending):
            return group
        values = column(index, group)
        present = [(value, position) for value, position in zip(values, group, strict=True)
                   if value is not None]
        missing = [position for value, position in zip(values, group, strict=True)
                   if value is None]
        present.sort(key=lambda pair: pair[0], reverse=descending[index])
        result: list[int] = []
        for _, run in groupby(present, key=lambda pair: pair[0]):
            result += order([position for _, position in run], index + 1)
        return result + order(missing, index + 1)
    return order(list(range(count)), 0)


# --- the cite and its reference ----------------------------------------------------------------

def _missing(self: Any, key: Any) -> Any:
    """A missing CSL variable, as citeproc-py's own ``__getitem__`` reported it."""
    raise VariableError


class _Reference:
    """``item.reference``, read once per cite item from the dicts citeproc-py's properties
    read it from, then kept in the item's ``__dict__`` (a descriptor without ``__set__``
    gives way to it): every element a cite or entry renders asks for it, ~100 times an
    entry. An item's reference never changes: its citation may (a cluster takes it), but
    every citation of one engine has the same references."""

    def __get__(self, item: Any, owner: Any = None) -> Any:
        if item is None:
            return self
        reference = item["citation"]["bibliography"].source[item["key"]]
        item.__dict__["reference"] = reference
        return reference


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


def citation_numbers(bibliography: Any) -> dict[str, int]:
    """Each registered key's citation number less one (its place in the keys)."""
    return _keys_index(bibliography)


def _register(self: Any, citation: Any, callback: Any = None) -> None:
    """citeproc-py's ``register`` with the key test on the index, kept up to date."""
    citation.bibliography = self
    for item in citation.cites:
        if item.key in self.source:
            index = _keys_index(self)
            if item.key not in index:
                index[item.key] = len(self.keys)
                self.keys.append(item.key)
                self.items.append(item)
                self.__dict__["_kz_keys"] = (self.keys, len(self.keys), index)
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


class Entries:
    """Bibliography entries an earlier build rendered, and the ones this build uses.

    An entry is a function of the style, the locale (both fixed per ``Entries``: the
    cache key it is stored under holds them), the reference's data — as the author
    wrote it, and as citeproc-py holds it now, year suffix included — and its number
    (citation-number styles print it). It never depends on the cites (the bibliography
    has no positions, no author-only forms), nor on what was rendered before it when
    ``history_free``; ``Engine.entries`` asks only then.
    """

    def __init__(self, earlier: dict[str, list[str]]):
        self.earlier = earlier
        self.now: dict[str, list[str]] = {}
        self.data: dict[str, str] = {}
        """Each reference's CSL-JSON as the author wrote it, by lower-cased id."""

    def describe(self, references: list[dict[str, Any]]) -> None:
        """Take the references as written: markup such as a nocase span is gone from the
        data citeproc-py holds, and the entry must change when it changes."""
        self.data = {str(reference.get("id", "")).lower():
                     json.dumps(reference, ensure_ascii=False, sort_keys=True)
                     for reference in references}

    def texts(self, items: Sequence[Any], render: Callable[[list[Any]], list[list[str]]]
              ) -> list[list[str]]:
        """Each item's entry texts (none when it renders empty), in order; ``render`` is
        given the items not known, all at once (``Engine.entries`` renders them in slices)."""
        keys = [self.key(item) for item in items]
        fresh = iter(render([item for item, key in zip(items, keys, strict=True)
                             if key not in self.earlier]))
        found = [self.earlier[key] if key in self.earlier else next(fresh) for key in keys]
        self.now.update(zip(keys, found, strict=True))
        return found

    def key(self, item: Any) -> str:
        bibliography = item["citation"]["bibliography"]
        held = repr(sorted(bibliography.source[item["key"]].items()))
        number = _keys_index(bibliography)[item["key"]]
        parts = (self.data.get(item["key"], ""), held, str(number))
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def keep_alive(style: Any) -> list[Any]:
    """Every element of the style and its locales, to hold while the style renders.

    lxml drops a proxy (and the look-ups cached on it) when nothing refers to it;
    the locales' terms and dates are searched as often as the style's own elements.
    Every locale list the style has (one per entry language) is held.
    """
    root = style.root
    elements = list(root.iter())
    lists = list(root.__dict__.get("_kz_locales", {}).values()) or [root.locales]
    held = {id(root)}
    for locales in lists:
        for locale in locales:
            top = locale.getroottree().getroot()
            if id(top) not in held:
                held.add(id(top))
                elements.extend(top.iter())
    return elements


def citeproc_own(owner: type, name: str) -> bool:
    """Whether ``owner.name`` is still citeproc-py's own code (no other mend replaced it)."""
    current = getattr(owner, name, None)
    function = current.fget if isinstance(current, property) else current
    return str(getattr(function, "__module__", "")).startswith("citeproc")


def _replace(owner: type, name: str, new: Any) -> None:
    """Install a speed mend only over citeproc-py's own method: a correctness mend
    installed first (rendering, disambiguation…) keeps its place, merely slower."""
    if citeproc_own(owner, name):
        setattr(owner, name, new)


def apply() -> None:
    """Install the mends; ``csl`` calls this once on import (again is harmless)."""
    _replace(CitationStylesElement, "get_root", _get_root)
    _replace(SomewhatObjectifiedElement, "__getattr__", _child)
    _replace(CitationStylesElement, "xpath_search", _xpath_search)
    _replace(CitationStylesElement, "get_locale_option", _get_locale_option)
    _replace(CitationStylesElement, "get_macro", cached_macro)
    _replace(Parent, "calls_variable", memoised(_ORIGINAL_PARENT_CALLS))
    _replace(Text, "calls_variable", memoised(_ORIGINAL_TEXT_CALLS))
    _replace(Date, "is_locale_date", memoised(_ORIGINAL_IS_LOCALE_DATE))
    _replace(Name, "get_option", name_option)
    _replace(Formatted, "format", _format)
    _replace(Affixed, "wrap", _wrap)
    _replace(Quoted, "quote", _quote)
    _replace(Text, "process", text_process)
    if citeproc_own(CustomDict, "__getitem__") and citeproc_own(CustomDict, "__getattr__"):
        del CustomDict.__getitem__  # dict's own, which calls __missing__
        CustomDict.__missing__ = _missing
        CustomDict.__getattr__ = dict.__getitem__
    _replace(CitationItem, "reference", _Reference())
    _replace(CitationItem, "is_bad", _is_bad)
    _replace(CitationItem, "number", property(_number))
    _replace(CitationStylesBibliography, "register", _register)
    _replace(If, "render", _if_render)
    _replace(Choose, "render", choose_render)
    _replace(Parent, "render_children", render_children_listed)
    _replace(Group, "process", _group_process)
    _replace(Term, "single", _term_text(_original_single, "_kz_single"))
    _replace(Term, "multiple", _term_text(_original_multiple, "_kz_multiple"))


_ORIGINAL_PARENT_CALLS = Parent.calls_variable
_ORIGINAL_TEXT_CALLS = Text.calls_variable
_ORIGINAL_IS_LOCALE_DATE = Date.is_locale_date
