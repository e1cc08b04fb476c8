"""Which structural elements render nothing for a reference — known before walking them.

Most of a long style renders nothing for any one reference: Chicago's bibliography walks
~45 macros per entry, and a third of the time went into macros, groups and choices that,
for a book, print nothing of a journal's, a patent's or an archive's. Whether such an
element prints anything is decided, for a large class of elements, by two things only:
the reference's type and which variables it has (and whether the cite has a locator).
When the elements inside one are

* a cs:text of a reference variable or the locator, a term or a value, or a call of
  such a macro (a group, as citeproc-js expands it);
* a cs:label, cs:number, cs:date or cs:names (with its cs:substitute) of such variables;
* a cs:group of such elements, or a cs:choose whose tests are decided by the type and
  the variables present (a missing variable decides an is-numeric, is-uncertain-date or
  locator test false; a position never decides one),

its verdict for one combination of (the types it tests, the variables it reads) holds for
every reference with that combination. ``quiet`` works it out the first time it meets a
combination, by the rules the renderer follows, and remembers it. An element inside that
cannot be judged (a cite number, year-suffix, a test left undecided) counts as one that
may print.

A verdict of silence must be exact, so it only follows from facts that are: a variable
the reference lacks renders nothing; a cs:group whose children can render nothing, or
that certainly called a variable and can have rendered none (CSL's group suppression, as
``variables`` applies it), renders nothing; a cs:choose renders its one branch taken.
Everything else — a variable the reference has, a term — counts as "may render" (a
filled variable may still print nothing, after a substitute used it, say): those
elements are rendered as before. With the verdict goes what rendering the element would
have told the enclosing group (``variables``: that it called a variable), which the
caller tells it instead.

Never judged: the citation number, citation label and first note number (not in the
reference until a cite renders) and year-suffix (disambiguation adds and removes it).
The same bits give ``structure`` a cs:choose's remembered branch (``plan_mask``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from citeproc.model import Choose, Date, Group, If, Label, Names, Number, Text

from . import speed, variables

_BITS: dict[str, int] = {"cite:locator": 1}
"""A bit for each reference key (``title``) and type (``type:book``) an element reads,
and one for the cite's locator (not the reference's: its bit is added per cite item)."""
_LOCATOR = 1
_OPAQUE = -1
"""What ``_reads`` gives an element that cannot be judged itself (a cite variable, a test
of a position…): it counts as one that may print (``_SOMETHING``), whatever it reads."""

Outcome = tuple[bool, bool, bool]
"""(may print something, called a variable, may have told its group one rendered).
The second is exact whenever the third is False: only then is it used."""
_NOTHING: Outcome = (False, False, False)
_SOMETHING: Outcome = (True, True, True)


TRIAL = 64
"""Judgements an element gets to show it is ever silent; one that never was is not
judged again (a judgement costs about as much as rendering a small group)."""


def quiet(element: Any) -> list[Callable[[Any], bool | None] | None]:
    """A slot holding, for a judgeable element, a function of the cite item: None when
    the element may print something for it, else whether it would have called a
    variable. The slot holds None for an element that cannot be judged, or once the
    element was not silent in its first ``TRIAL`` judgements: callers read it each time."""
    mask = _reads(element)
    slot: list[Callable[[Any], bool | None] | None] = [None]
    if mask == _OPAQUE:
        return slot
    verdicts: dict[int, bool | None] = {}
    trial = [TRIAL]
    locates = bool(mask & _LOCATOR)

    def verdict(item: Any) -> bool | None:
        reference = item.reference
        present = reference.__dict__.get("_kz_present")  # ``_present``, written out: this
        if present is None or present[0] != (len(_BITS), len(reference)):  # runs per element
            present = _present(reference)
        key = present[1] & mask
        if locates and "locator" in item:
            key |= _LOCATOR
        found = verdicts.get(key, verdicts)
        if found is verdicts:
            output, called, _ = _outcome(element, item)
            found = verdicts[key] = None if output else called
        if trial[0]:
            trial[0] = 0 if found is not None else trial[0] - 1
            if not trial[0] and found is None:
                slot[0] = None
        return found  # type: ignore[return-value]
    slot[0] = verdict
    return slot


def _outcome(element: Any, item: Any) -> Outcome:
    """What the element does for the item's reference, worked out once per combination
    of what it reads."""
    mask = _reads(element)
    if mask == _OPAQUE:
        return _SOMETHING
    key = presence(item.reference) & mask | (
        _LOCATOR if mask & _LOCATOR and "locator" in item else 0)
    outcomes = element.__dict__.setdefault("_kz_outcomes", {})
    found = outcomes.get(key)
    if found is None:
        found = outcomes[key] = _outcome_found(element, item)
    return found  # type: ignore[no-any-return]


def plan_mask(choose: Any) -> int | None:
    """For a cs:choose whose tests read only the type and which variables the reference
    has (``speed.choose_plan``), the bits of those types and variables:
    ``presence(reference) & plan_mask(choose)`` is the same for two references exactly
    when its tests are. None for another, or one that tests a variable with no bit."""
    plan = speed.choose_plan(choose)
    if plan is None or any(key.replace("_", "-") in _UNREAD for key in plan[0]):
        return None
    types = [kind for branch in speed.children(choose) if isinstance(branch, If)
             for kind in (branch.get("type") or "").lower().split()]
    return _united([_bit(key) for key in plan[0]] + [_bit(f"type:{kind}") for kind in types])


def presence(reference: Any) -> int:
    """The bits of the reference's type and keys (see ``mask_of``)."""
    present = reference.__dict__.get("_kz_present")
    if present is None or present[0] != (len(_BITS), len(reference)):
        present = _present(reference)
    return present[1]  # type: ignore[no-any-return]


# --- what an element reads (once per element) --------------------------------------------

def _bit(name: str) -> int:
    found = _BITS.get(name)
    if found is None:
        found = _BITS[name] = 1 << len(_BITS)
    return found


def _present(reference: Any) -> tuple[tuple[int, int], int]:
    """((bits known, keys), the bits of the reference's type and keys), kept on the
    reference until either count changes. During a build a reference only gains or loses
    keys that have no bit (year_suffix from disambiguation, the first note's number while
    a cite renders) and has values replaced (``names``); the key count is checked all the
    same, as a guard against a mend that would add one."""
    mask = _BITS.get(f"type:{reference.type}", 0)
    for key in reference:
        mask |= _BITS.get(key, 0)
    found = reference.__dict__["_kz_present"] = ((len(_BITS), len(reference)), mask)
    return found


def _reads(element: Any) -> int:
    found = element.__dict__.get("_kz_reads")
    if found is None:
        found = element.__dict__["_kz_reads"] = _reads_found(element)
    return found  # type: ignore[no-any-return]


def _reads_found(element: Any) -> int:
    if isinstance(element, Text):
        kind = speed.text_kind(element)
        if kind == "macro":
            return _all_reads(speed.children(element.get_macro(element.get("macro"))))
        if kind != "variable":
            return 0
        return _variable_bits(element.get("variable"), element.get("form") == "short")
    if isinstance(element, (Label, Number, Date)):
        return _variable_bits(element.get("variable") or "", False)
    if isinstance(element, Names):
        substitute = variables.child_named(element, "substitute")
        parts = [_variable_bits(element.get("variable") or "", False)]
        return _united(parts + ([_all_reads(speed.children(substitute))]
                                if substitute is not None else []))
    if isinstance(element, Group):
        return _all_reads(speed.children(element))
    if isinstance(element, Choose):
        return _choose_reads(element)
    return _OPAQUE


def _choose_reads(choose: Any) -> int:
    """The types and variables its tests name (those it can decide, ``_decided``), and what
    its branches read."""
    tested = []
    for branch in speed.children(choose):
        test = _test(branch) if isinstance(branch, If) else ()
        if test:
            types, checks, _, _ = test
            tested += [_bit(f"type:{kind}") for kind in types]
            tested += [_key_bit(key) for key, _ in checks]
        tested.append(_all_reads(speed.children(branch)))
    return _united(tested)


def _key_bit(key: str) -> int:
    return _LOCATOR if key == "locator" else _bit(key)


def _variable_bits(variables: str, short: bool) -> int:
    """The keys a variable attribute reads (``structure``'s rule); opaque for a cite
    variable, year-suffix, or none."""
    names = variables.split()
    if not names or any(name in _UNREAD for name in names):
        return _OPAQUE
    return _united([_key_bit(key) for key in _keys(names, short)])


def _keys(names: list[str], short: bool) -> list[str]:
    """What citeproc-py looks up for variables NAMES: reference keys, and "locator"."""
    names = ["page" if name == "page-first" else name for name in names]
    names += [f"{name}-short" for name in names] if short else []
    return [name.replace("-", "_") for name in names]


_UNREAD = frozenset({"citation-number", "citation-label", "first-reference-note-number",
                     "year-suffix"})
"""Variables judged by nothing here: cite numbers and notes (not in the reference until a
cite renders) and year-suffix (disambiguation adds it)."""


def _all_reads(elements: Iterable[Any]) -> int:
    """What a parent reads through its children: an opaque child reads nothing (it may
    print, whatever the reference holds)."""
    return _united([max(_reads(element), 0) for element in elements])


def _united(masks: list[int]) -> int:
    mask = 0
    for part in masks:
        if part == _OPAQUE:
            return _OPAQUE
        mask |= part
    return mask


# --- what an element does for one reference (once per combination) -----------------------

def _outcome_found(element: Any, item: Any) -> Outcome:
    if isinstance(element, Text):
        kind = speed.text_kind(element)
        if kind == "macro":
            output, called, rendered = _sequence(
                speed.children(element.get_macro(element.get("macro"))), item)
            if not output or (called and not rendered):
                return (False, called, False)
            return _SOMETHING
        if kind != "variable":
            return (True, False, False)  # a term or a value
        return _variable(element.get("variable"), element.get("form") == "short", item)
    if isinstance(element, (Number, Date)):
        return _variable(element.get("variable"), False, item)
    if isinstance(element, Label):
        return (_has(element.get("variable"), False, item), False, False)
    if isinstance(element, Names):
        return _names(element, item)
    if isinstance(element, Group):
        return _group(element, item)
    if isinstance(element, Choose):
        return _choose(element, item)
    return _SOMETHING  # not reached: any other element is opaque


def _has(variables: str, short: bool, item: Any) -> bool:
    return any(_holds(key, item) for key in _keys(variables.split(), short))


def _holds(key: str, item: Any) -> bool:
    return "locator" in item if key == "locator" else key in item.reference


def _variable(variables: str, short: bool, item: Any) -> Outcome:
    """Rendered or not, the variable is reported as called (``variables._report``)."""
    present = _has(variables, short, item)
    return (present, True, present)


def _names(names: Any, item: Any) -> Outcome:
    """A cs:names reports each of its variables; without any, its cs:substitute renders
    the first child that prints (so one that may print ends the judgement)."""
    if _has(names.get("variable"), False, item):
        return _SOMETHING
    substitute = variables.child_named(names, "substitute")
    for child in speed.children(substitute) if substitute is not None else ():
        if _outcome(child, item)[0]:
            return _SOMETHING
    return (False, True, False)


def _group(group: Any, item: Any) -> Outcome:
    """Left out when nothing in it prints, or when it called a variable and none of its
    variables can have rendered (``variables.group_shown``); then it passes on only that
    it called one."""
    output, called, rendered = _sequence(speed.children(group), item)
    if not output or (called and not rendered):
        return (False, called, False)
    return _SOMETHING


def _choose(choose: Any, item: Any) -> Outcome:
    """The branch taken, when the type and variables the tests read decide it; else a
    cs:choose that may print."""
    for branch in speed.children(choose):
        holds = _decided(branch, item) if isinstance(branch, If) else True
        if holds is None:
            return _SOMETHING
        if holds:
            return _sequence(speed.children(branch), item)
    return _NOTHING


def _decided(branch: Any, item: Any) -> bool | None:
    """A cs:if's test as citeproc-py joins it (one result per value of each test, then
    ``match`` over them all), when the results it can know here decide it: with
    match="all", one false result does, whatever the position test would say. None when
    they do not (or when it tests ``disambiguate``, which ``disambiguation`` decides its
    own way)."""
    test = _test(branch)
    if not test:
        return None
    types, checks, unknown, match = test
    kind = item.reference.type
    known = [kind == name for name in types]
    for key, presence_decides in checks:
        present = _holds(key, item)
        if presence_decides or not present:
            known.append(present)
        else:
            unknown = True
    if match == "all":
        return False if not all(known) else (None if unknown else True)
    if match == "any":
        return True if any(known) else (None if unknown else False)
    return False if any(known) else (None if unknown else True)  # "none"


Test = tuple[list[str], list[tuple[str, bool]], bool, str]


def _test(branch: Any) -> Test | tuple[()]:
    """A cs:if's test as ``_decided`` reads it, kept on the element: the types; the keys
    whose presence gives a result (True: the result is the presence — a variable test;
    False: only an absence gives one, False — is-numeric, is-uncertain-date and a
    locator's label are tested on a value); whether it tests anything else; its match.
    () for one that cannot be decided."""
    found = branch.__dict__.get("_kz_decidable")
    if found is None:
        found = branch.__dict__["_kz_decidable"] = _test_found(branch)
    return found  # type: ignore[no-any-return]


def _test_found(branch: Any) -> Test | tuple[()]:
    match = branch.get("match", "all")
    if "disambiguate" in branch.attrib or match not in ("all", "any", "none"):
        return ()
    checks = [(key, True) for key in _keys((branch.get("variable") or "").split(), False)]
    for attribute in ("is-numeric", "is-uncertain-date"):
        checks += [(key, False) for key in _keys((branch.get(attribute) or "").split(), False)]
    if branch.get("locator"):
        checks.append(("locator", False))
    unread = [key for key, _ in checks if key.replace("_", "-") in _UNREAD]
    unknown = bool(unread) or any(name not in _DECIDABLE for name in branch.attrib)
    types = [kind.lower() for kind in (branch.get("type") or "").split()]
    return types, [check for check in checks if check[0] not in unread], unknown, match


_DECIDABLE = frozenset({"type", "variable", "is-numeric", "is-uncertain-date", "locator",
                        "match"})


def _sequence(elements: Iterable[Any], item: Any) -> Outcome:
    """Children rendered one after the other, all reporting to the same group."""
    output = called = rendered = False
    for element in elements:
        one, two, three = _outcome(element, item)
        output, called, rendered = output or one, called or two, rendered or three
    return (output, called, rendered)
