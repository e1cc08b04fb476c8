"""CSL disambiguation: which cites would read alike, and what each of them gets added.

citeproc-py 0.11 has none of it: it reads the style's disambiguation options and
ignores them, and its ``cs:if disambiguate="true"`` is always true (``If.render``
has no test for it, and ``all([])`` is true). citeproc-js, the reference (see
tests/oracle), follows CSL 1.0.2 §Disambiguation, which this module implements:

* two cites are *ambiguous* when their texts in citation form are identical
  and they point to different references. As citeproc-js does, the citation form
  is the cite as a "subsequent" one (a note style's short note), without locator,
  accessed date, affixes or markup (``Engine._cite_form`` renders it);
* a global ``givenname-disambiguation-rule`` (all-names, all-names-with-initials,
  primary-name, primary-name-with-initials) adds initials or given names to every
  name that another person's name would render alike, in every cite
  (``_NameRegistry``); the default rule, by-cite, only touches ambiguous cites;
* ambiguous cites are then tried, in the order the specification gives, with
  more names of an et-al list (disambiguate-add-names), with initials and then
  full given names (disambiguate-add-givenname, by-cite), with year suffixes
  (disambiguate-add-year-suffix: a, b… assigned in bibliography order; a style's
  ``citation-label`` carries them, ``labels``) and, for those that still read alike,
  with ``disambiguate="true"`` tests made to hold one more at a time. As in
  citeproc-js, a person's given name is tried before the next name, and an
  expansion is kept only when it parts some cites, with the names it was tried on.

What is decided is a ``Plan`` per reference; ``Disambiguation.applied`` makes a
render of one of its cites follow it, ``Disambiguation.entry`` its bibliography entry
(the disambiguate tests only, as citeproc-js). The mends here render a plan: ``_name_process``
(names shown and name forms), ``if_render`` (the disambiguate condition) and
``_suffixed_date`` (the year suffix where the style does not print it itself).

Cost: every registered reference is rendered once in citation form; only the
references whose cites collide there are rendered again, a bounded number of
times (one more name or one more name form per step). Groups are found with a
dict keyed by text, never by comparing pairs. The last form of each reference is kept
(``form``): a plain cite rendered under the same plan reads the same, and ``Engine``
takes it instead of rendering the cite again.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from citeproc.model import ConditionFailed, Date, If, Name
from citeproc.source import Name as PersonName

from .. import parallel
from . import labels, namelist, speed

SHORT, INITIALS, FULL = 0, 1, 2
"""How much of a person's given name a cite shows: none, initials, all of it."""

_GLOBAL_RULES = ("all-names", "all-names-with-initials", "primary-name",
                 "primary-name-with-initials")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass
class Plan:
    """What disambiguation adds to the cites of one reference."""

    names: dict[int, int] = field(default_factory=dict)
    """``cs:names`` variable rendered (0, 1… in a cite's order) → names shown."""
    givens: dict[tuple[int, int], int] = field(default_factory=dict)
    """(names variable, person) → SHORT, INITIALS or FULL, at the least."""
    disambiguate: int = 0
    """How many ``cs:if disambiguate="true"`` tests hold in a render (citeproc-js counts
    them as they are met: the first N that are met hold, each later one fails)."""

    def copy(self) -> Plan:
        return Plan(dict(self.names), dict(self.givens), self.disambiguate)


@dataclass
class _Nameset:
    """One name variable as a cite renders it, noted by the first render."""

    total: int
    shown: int
    base: int
    """SHORT (form="short"), INITIALS (long with initialize-with) or FULL."""
    initials: bool
    """The style gives initialize-with (else an initials step shows the full name)."""
    people: list[Any] = field(default_factory=list, repr=False)


def _name_keys(name: Any) -> tuple[str, str, str] | None:
    """(family, initials, given) of a person, periods dropped; None for a literal name."""
    given, family, _, particle, _ = name.parts()
    if not given or not family or "literal" in name:
        return None
    given = _SPACE.sub(" ", given.replace(".", " ")).strip()
    initials = "".join(part[0] for part in re.split(r"[\s-]+", given) if part)
    return " ".join(p for p in (particle, family) if p).replace(".", ""), initials, given


@dataclass(frozen=True)
class CiteForm:
    """A reference's cite in citation form, as ``Engine._cite_form`` rendered it."""

    html: str
    conditions: tuple[Any, ...] = ()
    """What else its text depended on, for ``Engine`` to compare before it reuses it."""


class _NameRegistry:
    """The people of every cite, for a global givenname-disambiguation-rule.

    Family name → initials → given names seen: a name whose family name comes with
    other initials needs its initials; with the same initials but other given names,
    its given name (citeproc-js ``NameReg``).
    """

    def __init__(self, rule: str):
        self.rule = rule
        self.people: dict[str, dict[str, set[str]]] = {}

    def add(self, names: Sequence[Any]) -> None:
        for index, name in enumerate(names):
            if index and self.rule.startswith("primary-name"):
                break
            keys = _name_keys(name)
            if keys:
                family, initials, given = keys
                self.people.setdefault(family, {}).setdefault(initials, set()).add(given)

    def level(self, name: Any, index: int, base: int, initials: bool) -> int:
        keys = _name_keys(name)
        if keys is None or (index and self.rule.startswith("primary-name")):
            return base
        family, initial, _ = keys
        seen = self.people.get(family, {})
        level = base
        if len(seen) > 1:
            level = INITIALS if initials else FULL
        if not self.rule.endswith("with-initials") and len(seen.get(initial, ())) > 1:
            level = FULL
        return max(base, level)


@dataclass
class _Render:
    """What one render of a cite follows, and what it notes of its names."""

    plan: Plan | None
    registry: _NameRegistry | None
    capture: bool = False
    """Note each name variable's ``_Nameset`` (renders made to disambiguate)."""
    namesets: list[_Nameset] = field(default_factory=list)
    count: int = 0
    """Name variables rendered so far."""
    overrides: dict[str, Any] | None = None
    """cs:name options replaced while ``_name_process`` renders expanded names."""
    looking: bool = False
    """The render left out what only a cite's text shows (the accessed date)."""
    held: int = 0
    """``disambiguate="true"`` tests that held so far."""


_RENDER: contextvars.ContextVar[_Render] = contextvars.ContextVar("kz_disambiguation")
_LEVEL = "_kz_disambiguate"
"""A reference's ``disambiguate`` level, in its data for the bibliography (``entry``)."""


@contextmanager
def _rendering(state: _Render) -> Iterator[None]:
    token = _RENDER.set(state)
    try:
        yield
    finally:
        _RENDER.reset(token)


class Disambiguation:
    """Decides, once for the whole book, each reference's ``Plan``."""

    def __init__(self, style_root: Any, source: Any):
        citation = style_root.citation
        self.source = source
        """citeproc-py's references: a year suffix is their ``year_suffix`` variable."""
        self.add_names = _flag(citation, "disambiguate-add-names")
        self.add_givenname = _flag(citation, "disambiguate-add-givenname")
        self.add_year_suffix = _flag(citation, "disambiguate-add-year-suffix")
        self.rule = str(citation.get("givenname-disambiguation-rule", "by-cite"))
        self.by_cite = self.add_givenname and self.rule not in _GLOBAL_RULES
        self.condition = len(style_root.xpath(".//cs:if[@disambiguate] | "
                                              ".//cs:else-if[@disambiguate]",
                                              namespaces=style_root.nsmap))
        """The style's ``disambiguate`` tests: how far the condition's level can go."""
        self.plans: dict[str, Plan] = {}
        self.registry: _NameRegistry | None = None
        self.forms: dict[str, tuple[tuple[Any, ...], CiteForm]] = {}
        """Each reference's last cite form, with what it was rendered under (``form``)."""
        self.history_free = speed.history_free(style_root)
        if labels.prints_label(style_root):
            labels.fill(source)

    @property
    def wanted(self) -> bool:
        return (self.add_names or self.add_givenname or self.add_year_suffix
                or self.condition > 0)

    def applied(self, key: str) -> contextlib.AbstractContextManager[None]:
        """Renders within follow the plan of reference KEY (and the global name rule)."""
        return _rendering(_Render(self.plans.get(key), self.registry))

    def entry(self, key: str) -> contextlib.AbstractContextManager[None]:
        """A bibliography entry of KEY renders within: its ``disambiguate`` tests hold as in
        its cites (citeproc-js); names and year suffix follow the layout alone. The level
        is read from the reference's data (``_LEVEL``), which the entry cache keys on."""
        level = self.source[key].get(_LEVEL, 0) if self.condition else 0
        if not level:
            return contextlib.nullcontext()
        return _rendering(_Render(Plan(disambiguate=level), None))

    def form(self, key: str) -> CiteForm | None:
        """KEY's last cite form, if it was rendered under what its cites render under now
        (the plan decided, the name registry, the year suffix); else None."""
        found = self.forms.get(key)
        return found[1] if found is not None and found[0] == self._state(key) else None

    def _remember(self, key: str, form: CiteForm | None) -> None:
        if form is None:
            self.forms.pop(key, None)
        else:
            self.forms[key] = (self._state(key), form)

    def _provisional_registry(self, keys: Sequence[str]) -> _NameRegistry | None:
        """The global name registry as the references' data suggest it (their authors, or
        editors), for the first renders: the registry itself needs the names those renders
        show. A first form still holds under the real registry when it shows each of its
        people at the level it shows them at here (``_forms_kept``) — for most books every
        form, so no cite is rendered twice. A wrong guess costs renders, never a text."""
        if not self.add_givenname or self.by_cite:
            return None
        registry = _NameRegistry(self.rule)
        for key in keys:
            reference = self.source[key]
            registry.add(reference.get("author") or reference.get("editor") or ())
        return registry

    def _forms_kept(self, firsts: dict[str, tuple[list[_Nameset], CiteForm | None]],
                    provisional: _NameRegistry | None) -> list[str]:
        """Remember each first form that reads as it would under the registry now in
        force; the keys of those that do not (rendered again by the caller)."""
        stale = []
        for key, (namesets, form) in firsts.items():
            if self.registry is None or provisional is None or all(
                    provisional.level(name, person, names.base, names.initials)
                    == self.registry.level(name, person, names.base, names.initials)
                    for names in namesets for person, name in enumerate(names.people)):
                self._remember(key, form)
            else:
                stale.append(key)
        return stale

    def _state(self, key: str) -> tuple[Any, ...]:
        plan = self.plans.get(key)
        return (plan.copy() if plan else None, self.registry is not None,
                self.source[key].get("year_suffix"))

    def run(self, keys: Sequence[str], cite_form: Callable[[str], CiteForm],
            bibliography_order: Callable[[], list[str]]) -> None:
        """Decide every plan; KEYS are the registered references.

        ``cite_form`` renders a reference's cite in citation form (it is called
        within ``applied``); ``bibliography_order`` gives the keys in the order
        of the reference list, which year suffixes follow.
        """
        for key in keys:
            self.source[key].pop("year_suffix", None)
            self.source[key].pop(_LEVEL, None)
            labels.suffixed(self.source[key], None)
        self.forms.clear()
        if not self.wanted:
            return
        namesets: dict[str, list[_Nameset]] = {}
        texts: dict[str, str] = {}
        firsts: dict[str, tuple[list[_Nameset], CiteForm | None]] = {}
        provisional = self.registry = self._provisional_registry(keys)
        for key, (texts[key], namesets[key], form) in zip(
                keys, self._first_renders(keys, cite_form), strict=True):
            firsts[key] = (namesets[key], form)
        if provisional is not None:
            self.registry = _NameRegistry(self.rule)
            for found in namesets.values():
                for names in found:
                    self.registry.add(names.people)
        run = _Run(self, cite_form, namesets)
        texts.update((key, run.render(key)) for key in self._forms_kept(firsts, provisional))
        candidates = [key for group in _alike(texts) for key in group]
        for group in _alike({key: texts[key] for key in candidates}):
            texts.update(run.expand(group, {key: texts[key] for key in group}))
        if self.add_year_suffix:
            texts.update(self._suffix(_alike(texts), bibliography_order, run))
        if self.condition:
            self._raise_condition(_alike(texts), run)

    def _raise_condition(self, groups: list[list[str]], run: _Run) -> None:
        """Make one more ``disambiguate`` test hold for the cites still alike, level by
        level, until they differ or every test holds (citeproc-js's incremental extra
        text: a title may part two cites, their edition two more)."""
        for level in range(1, self.condition + 1):
            if not groups:
                return
            texts = {}
            for key in (key for group in groups for key in group):
                plan = self.plans.setdefault(key, Plan())
                plan.disambiguate = level
                self.source[key][_LEVEL] = level
                texts[key] = run.render(key)
            groups = [[key for key in group if _clashes(key, texts)] for group in groups]
            groups = [group for group in groups if len(group) > 1]

    def _first_renders(self, keys: Sequence[str], cite_form: Callable[[str], CiteForm]
                       ) -> list[tuple[str, list[_Nameset], CiteForm | None]]:
        """Every reference's cite form before any plan: each is rendered against a history
        of its own, so they may be rendered in any order, in several processes, unless the
        style's renders leave traces on each other (``speed.history_free``)."""
        render = partial(self._render, cite_form=cite_form)
        if not self.history_free:
            return [render(key) for key in keys]
        return parallel.mapped(render, keys)

    def _render(self, key: str, cite_form: Callable[[str], CiteForm]
                ) -> tuple[str, list[_Nameset], CiteForm | None]:
        state = _Render(self.plans.get(key), self.registry, capture=True)
        token = _RENDER.set(state)
        try:
            form = cite_form(key)
        finally:
            _RENDER.reset(token)
        return plain(form.html), state.namesets, None if state.looking else form

    def _suffix(self, groups: list[list[str]], bibliography_order: Callable[[], list[str]],
                run: _Run) -> dict[str, str]:
        """Year suffixes a, b… for each group of cites still alike, in bibliography order."""
        if not groups:
            return {}
        position = {key: index for index, key in enumerate(bibliography_order())}
        for group in groups:
            for number, key in enumerate(sorted(group, key=position.__getitem__)):
                self.source[key]["year_suffix"] = _letters(number)
                labels.suffixed(self.source[key], _letters(number))
        return {key: run.render(key) for group in groups for key in group}


class _Run:
    """One disambiguation pass: renders on demand and tries expansions on a group."""

    def __init__(self, owner: Disambiguation, cite_form: Callable[[str], CiteForm],
                 namesets: dict[str, list[_Nameset]]):
        self.owner = owner
        self.cite_form = cite_form
        self.namesets = namesets

    def render(self, key: str, plan: Plan | None = None) -> str:
        saved = self.owner.plans.get(key)
        if plan is not None:
            self.owner.plans[key] = plan
        try:
            text, _, form = self.owner._render(key, self.cite_form)
            self.owner._remember(key, form)
            return text
        finally:
            if plan is not None:
                if saved is None:
                    del self.owner.plans[key]
                else:
                    self.owner.plans[key] = saved

    def expand(self, group: list[str], texts: dict[str, str]) -> dict[str, str]:
        """Try more names, then given names, on cites that read alike; keep what helps.

        As in citeproc-js, tries build on each other (``tried``: one more name after
        one that did not help), but a reference keeps only the steps that left fewer
        cites alike (``kept``) — with the names shown when they helped: a given name that
        parts "A. Jones" from "J. Jones" keeps the third name it was tried on
        (citeproc-js's ``captureStepToBase``). Returns the texts of the cites as kept.
        """
        kept = {key: self.owner.plans.get(key, Plan()).copy() for key in group}
        tried = {key: plan.copy() for key, plan in kept.items()}
        touched: set[str] = set()
        for index, step in self._steps(group):
            pending = [key for key in group if _clashes(key, texts)]
            if len(pending) < 2:
                break
            trial = {key: step(tried[key].copy(), key) for key in pending}
            if all(trial[key] == tried[key] for key in pending):
                continue
            tried.update(trial)
            attempt = dict(texts)
            attempt.update((key, self.render(key, trial[key])) for key in pending)
            touched.update(pending)
            if _parted(pending, attempt) > _parted(pending, texts):
                for key in pending:
                    if index in trial[key].names:
                        kept[key].names[index] = trial[key].names[index]
                    kept[key] = step(kept[key], key)
                texts = attempt
        for key in group:
            if kept[key] != Plan():
                self.owner.plans[key] = kept[key]
        texts.update((key, self.render(key)) for key in touched)
        return texts

    def _steps(self, group: list[str]) -> Iterator[tuple[int, Callable[[Plan, str], Plan]]]:
        """Expansions to try, each with the names variable it expands, in citeproc-js's
        order (``incrementDisambig``): for each person of a names variable, their initials
        and full given name (by-cite), then one more name shown. So "A. Asthma, Brandon
        Bronchitis, et al." is found before a third name is tried."""
        namesets = min((self.namesets[key] for key in group), key=len)
        for index, names in enumerate(namesets):
            most = max(self.namesets[key][index].total for key in group)
            for person in range(most if self.owner.add_names else names.total):
                if self.owner.by_cite:
                    for level in (INITIALS, FULL):
                        if level > names.base and (level == FULL or names.initials):
                            yield index, _given_name(index, person, level, self.namesets)
                if self.owner.add_names and names.shown + person < most:
                    yield index, _more_names(index, names.shown + person + 1)


def _more_names(index: int, count: int) -> Callable[[Plan, str], Plan]:
    def step(plan: Plan, key: str) -> Plan:
        plan.names[index] = max(count, plan.names.get(index, 0))
        return plan
    return step


def _given_name(index: int, person: int, level: int,
                namesets: dict[str, list[_Nameset]]) -> Callable[[Plan, str], Plan]:
    def step(plan: Plan, key: str) -> Plan:
        names = namesets[key][index]
        if person < max(names.shown, plan.names.get(index, 0)):
            plan.givens[(index, person)] = level
        return plan
    return step


def _parted(keys: list[str], texts: dict[str, str]) -> int:
    """How many different texts KEYS read: a step helps when it parts some of them, even
    if each still has a twin (citeproc-js: fewer clashes; YearSuffixAtTwoLevels)."""
    return len({texts[key] for key in keys})


def _clashes(key: str, texts: dict[str, str]) -> bool:
    text = texts[key]
    return any(other != key and value == text for other, value in texts.items())


def _alike(texts: dict[str, str]) -> list[list[str]]:
    """Keys whose texts are identical, in groups of two or more."""
    groups: dict[str, list[str]] = {}
    for key, text in texts.items():
        groups.setdefault(text, []).append(key)
    return [keys for keys in groups.values() if len(keys) > 1]


def _letters(number: int) -> str:
    """0 → a, 25 → z, 26 → aa, 27 → ab… (CSL's year suffixes)."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _flag(element: Any, name: str) -> bool:
    return str(element.get(name, "false")).lower() == "true"


def plain(rendered: str) -> str:
    """A rendered cite as compared: text only, as citeproc-js compares with decorations
    suppressed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", rendered))).strip()


# --- rendering a plan -------------------------------------------------------------------

_NO_PLAN = Plan()
_original_name_process = Name.process
_original_get_option = Name.get_option
_original_if_render = If.render
_original_date_process = Date.process


def _nameset(element: Any, item: Any, names: Sequence[Any], context: Any) -> _Nameset:
    """How cs:name renders NAMES by the style alone (as ``namelist`` shows them: et-al
    options of a first or a subsequent cite)."""
    form, mark, _, _, last = _name_options(element, context)
    base = SHORT if form == "short" else INITIALS if mark is not None else FULL
    shown, truncated = namelist.shown(element, item, len(names), context)
    if truncated and last:
        shown = min(len(names), shown + 1)
    return _Nameset(len(names), shown, base, mark is not None, list(names))


def _name_options(element: Any, context: Any) -> tuple[Any, ...]:
    """cs:name's form, initialize-with and et-al options, cached on the element
    (``Engine`` keeps every element's proxy alive) per context: each look-up is an
    XPath search for the inheriting cs:citation or cs:bibliography."""
    cache = element.__dict__.setdefault("_kz_name_options", {})
    if id(context) not in cache:
        cache[id(context)] = tuple(
            _original_get_option(element, name, context)
            for name in ("form", "initialize-with", "et-al-min", "et-al-use-first",
                         "et-al-use-last"))
    return tuple(cache[id(context)])


def _name_process(self: Any, item: Any, variable: str, context: Any = None,
                  sort_options: Any = None, **kwargs: Any) -> Any:
    """Names as the cite's plan wants them: more of an et-al list, initials, given names.

    Sort keys (``sort_options``) and the bibliography (no plan applied) render as the
    style says.
    """
    state = _RENDER.get(None)
    if state is None or sort_options is not None:
        return _original_name_process(self, item, variable, context=context,
                                      sort_options=sort_options, **kwargs)
    index = state.count
    state.count += 1
    plan = state.plan or _NO_PLAN
    if not (state.capture or state.registry or index in plan.names
            or any(at == index for at, _ in plan.givens)):
        return _original_name_process(self, item, variable, context=context, **kwargs)
    names = list(item.reference.get(variable, []))
    nameset = _nameset(self, item, names, context)
    if state.capture:
        state.namesets.append(nameset)
    levels = [max(plan.givens.get((index, person), SHORT),
                  state.registry.level(name, person, nameset.base, nameset.initials)
                  if state.registry else SHORT)
              for person, name in enumerate(names)]
    overrides: dict[str, Any] = {}
    if index in plan.names:  # a subsequent cite's et-al options too (``namelist``)
        overrides["et-al-use-first"] = overrides["et-al-subsequent-use-first"] = \
            plan.names[index]
        if plan.names[index] >= len(names):
            overrides["et-al-min"] = overrides["et-al-subsequent-min"] = 0
    if any(level > nameset.base for level in levels):
        overrides.update({"form": "long", "initialize-with": None})
        mark = _name_options(self, context)[1]
        names = [_at_level(self, name, max(level, nameset.base), mark, context)
                 for name, level in zip(names, levels, strict=True)]
        item = namelist.WithNames(item, variable, names)
    if not overrides:
        return _original_name_process(self, item, variable, context=context, **kwargs)
    state.overrides = overrides
    try:
        return _original_name_process(self, item, variable, context=context, **kwargs)
    finally:
        state.overrides = None


def _at_level(element: Any, name: Any, level: int, mark: str | None, context: Any) -> Any:
    """A person as cs:name form="long" without initialize-with renders it at LEVEL."""
    given, family, dropping, particle, suffix = name.parts()
    if not given or "literal" in name:
        return name
    if level == SHORT:
        parts = {"family": family, "non-dropping-particle": particle}
    else:
        if level == INITIALS and mark is not None:
            given = element.initialize(given, mark, context)
        parts = {"family": family, "given": given, "dropping-particle": dropping,
                 "non-dropping-particle": particle, "suffix": suffix}
    return PersonName(**{key: value for key, value in parts.items() if value})


def _get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
    """cs:name options, with those a disambiguated cite replaces while it renders."""
    state = _RENDER.get(None)
    if state is not None and state.overrides and sort_options is None \
            and name in state.overrides:
        return state.overrides[name]
    return speed.name_option(self, name, context, sort_options)


def if_render(self: Any, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
    """``disambiguate="true"`` holds only for a cite its plan says is still ambiguous.

    citeproc-py ignores the attribute, so a branch testing only it always renders.
    """
    asks = self.__dict__.get("_kz_disambiguate")
    if asks is None:  # cached on the element: Engine keeps every element's proxy alive
        asks = self.__dict__["_kz_disambiguate"] = "disambiguate" in self.attrib
    if not asks:
        return _original_if_render(self, item, context=context, delimiter=delimiter, **kwargs)
    state = _RENDER.get(None)
    holds = False
    if state is not None and state.plan is not None and state.held < state.plan.disambiguate:
        state.held += 1
        holds = True
    others = any(name in self.attrib for name in
                 ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position"))
    match = self.get("match", "all")
    if match == "any" and holds:
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)
    if (match == "any" and not others) or (match == "none" and holds) \
            or (match not in ("any", "none") and not holds):
        raise ConditionFailed
    return _original_if_render(self, item, context=context, delimiter=delimiter, **kwargs)


def _suffixed_date(self: Any, item: Any, variable: str | None = None, *args: Any,
                   **kwargs: Any) -> Any:
    """The issued date with its year suffix (2001a) unless the style prints it itself.

    As in citeproc-js, the suffix goes on the first issued date a cite or entry renders
    only ("[1990a] Doe, Book A 05/30/1990"): the first date element to print it for an
    item claims it (``_claims_suffix``). A localized date (``form="numeric"``) renders
    through the locale's date element, this same method: only the style's date adds the
    suffix, or it would print twice ("2000aa"). The citation form disambiguation compares
    leaves the accessed date out (``_looking``), as citeproc-js's does.
    """
    name = variable or self.get("variable")
    if name == "accessed" and _looking():
        return None
    text = _original_date_process(self, item, variable, *args, **kwargs)
    suffix = item.reference.get("year_suffix") if text else None
    if not suffix or name != "issued" or self.is_locale_date() \
            or _prints_year_suffix(self.get_root()) or not _claims_suffix(self, item):
        return text
    issued = item.reference["issued"]
    year = str(issued.year) if hasattr(issued, "year") else ""
    return type(text)(str(text).replace(year, year + suffix, 1)) if year else text


def _looking() -> bool:
    """Whether this render is a citation form for disambiguation to compare; noted on it,
    as such a form is not the cite's text (``Disambiguation._remember`` keeps none)."""
    state = _RENDER.get(None)
    if state is None or not state.capture:
        return False
    state.looking = True
    return True


def _claims_suffix(element: Any, item: Any) -> bool:
    """Whether ELEMENT is the date that prints ITEM's year suffix: the first to ask, in
    every render of the item (a style renders an item's dates in the same order)."""
    return vars(item).setdefault("_kz_suffixed_date", element) is element


def _prints_year_suffix(root: Any) -> bool:
    """Whether the style renders year-suffix itself, or citation-label (which carries
    it, as in citeproc-js)."""
    cache = root.__dict__
    if "_kz_year_suffix" not in cache:
        cache["_kz_year_suffix"] = bool(root.xpath(
            ".//*[@variable='year-suffix' or @variable='citation-label']"))
    return bool(cache["_kz_year_suffix"])


Name.process = _name_process
Name.get_option = _get_option
If.render = if_render
speed.TRANSPARENT_IF_RENDERS.add(if_render)
Date.process = _suffixed_date
