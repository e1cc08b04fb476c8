"""The style's structure — cs:group, cs:choose, macro calls, the children of a layout,
macro or branch — rendered by one function per element, built the first time it renders.

With the correctness mends layered over citeproc-py (``text`` records formatting around a
value, ``variables`` follows what a group's variables rendered, ``disambiguation`` its
condition) and ``speed``'s shortcuts, rendering one structural element passed through four
to six Python layers, each asking the element again what only the style decides: its
children and which of them is a cs:choose, its delimiter, formatting and affixes, which
macro it calls. A Chicago entry walks ~45 macros and hundreds of such elements. Here each
gets a closure that does what that chain did, in the same order, with those answers
decided once; the leaves (cs:text of a variable, term or value; cs:number, cs:label,
cs:names, cs:date) still render through their own, mended, ``render``.

Before walking one, a closure asks whether it can print anything for the reference at
all (``_left_out``): ``silence``'s verdict for its type and variables, else its ``Shape``.

``apply`` installs the closures only over the exact chain they fuse (``_fused_chain``):
a mend added later to one of those methods turns them off rather than being bypassed.
tests/unit/test_csl_structure_speed.py holds every oracle style's output against the
layered chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from citeproc.model import (
    Choose,
    ConditionFailed,
    Date,
    Else,
    Group,
    If,
    Label,
    Macro,
    Names,
    Number,
    Parent,
    Substitute,
    Text,
    VariableError,
)
from citeproc.string import String, join

from . import disambiguation, silence, speed, text, variables

Render = Callable[..., Any]


def _renderer(element: Any) -> Render:
    """How a child is rendered by its parent: a closure for structure, else its ``render``."""
    if isinstance(element, Group):
        return _group(element)
    if isinstance(element, Choose):
        return _choose(element)
    if isinstance(element, Text):
        return _text(element)
    return element.render  # type: ignore[no-any-return]


# --- what an element needs to render anything ----------------------------------------------------

Keys = frozenset[str] | None
"""Reference keys (underscored variable names), or None: not bounded by any."""

_CITE_VARIABLES = frozenset({"locator", "citation-number", "citation-label",
                             "first-reference-note-number"})
"""Variables not in the reference's data: an element calling one is never skipped."""


@dataclass(frozen=True)
class Shape:
    """What an element can render, from the style alone (once per element).

    ``needs``: the element renders text only if the reference has one of these.
    ``signals``: it tells the enclosing cs:group "a variable rendered" (a filled variable
    it called, or a group inside it shown) only if the reference has one of these.
    ``certain``: rendering it always tells the enclosing group that a variable was called
    (or rendered): a cs:text of a variable, a cs:number or cs:date, a group or macro with
    such a child. A cs:group that is certain is shown only if a child signalled, so it
    needs what its children signal; one that is not needs what they need (a group of
    terms alone prints them). Unions run over every branch of a cs:choose, so each is
    a superset of what one render reads.
    """

    needs: Keys
    signals: Keys
    certain: bool = False


def shape(element: Any) -> Shape:
    found = element.__dict__.get("_kz_shape")
    if found is None:
        found = element.__dict__["_kz_shape"] = _shape_found(element)
    return found  # type: ignore[no-any-return]


_UNBOUNDED = Shape(None, None)
_SILENT = Shape(None, frozenset())
"""A term, a value: printed whatever the reference holds, never a signal."""


def _shape_found(element: Any) -> Shape:
    if isinstance(element, Text):
        return _text_shape(element)
    if isinstance(element, Label):
        variable = element.get("variable")
        return Shape(_variable_keys(variable, False) if variable else None, frozenset())
    if isinstance(element, (Number, Date)):
        if not element.get("variable"):
            return _UNBOUNDED
        keys = _variable_keys(element.get("variable"), False)
        return Shape(keys, keys, certain=True)
    if isinstance(element, Names):
        keys = _variable_keys(element.get("variable"), False)
        substitute = variables.child_named(element, "substitute")
        if substitute is not None:
            keys = _united([keys, shape(substitute).needs, shape(substitute).signals])
        return Shape(keys, keys)
    if isinstance(element, Group):
        return _group_shape(speed.children(element))
    if isinstance(element, (Choose, If, Else, Macro, Substitute)):
        parts = [shape(child) for child in speed.children(element)]
        return Shape(_united([part.needs for part in parts]),
                     _united([part.signals for part in parts]), _surely_calls(element, parts))
    return _UNBOUNDED


def _group_shape(children: tuple[Any, ...]) -> Shape:
    parts = [shape(child) for child in children]
    certain = any(part.certain for part in parts)
    needs = _united([part.signals if certain else part.needs for part in parts])
    return Shape(needs, needs, certain)


def _surely_calls(element: Any, parts: list[Shape]) -> bool:
    """A macro or branch renders every child; a cs:choose one branch (none without a
    cs:else), a cs:substitute its children until one renders."""
    if isinstance(element, Choose):
        branches = speed.children(element)
        return bool(branches) and isinstance(branches[-1], Else) and all(
            part.certain for part in parts)
    return not isinstance(element, Substitute) and any(part.certain for part in parts)


def _text_shape(element: Any) -> Shape:
    kind = speed.text_kind(element)
    if kind == "macro":  # a group of the macro's children (``_macro_call``)
        return _group_shape(speed.children(element.get_macro(element.get("macro"))))
    if kind != "variable":
        return _SILENT
    variable = element.get("variable")
    if variable == "year-suffix":  # citeproc-py does not count it as called
        return Shape(frozenset({"year_suffix"}), frozenset())
    keys = _variable_keys(variable, element.get("form") == "short")
    return Shape(keys, keys, certain=keys is not None)


def _variable_keys(variables: str, short: bool) -> Keys:
    names = variables.split()
    if not names or any(name in _CITE_VARIABLES for name in names):
        return None
    names = ["page" if name == "page-first" else name for name in names]
    names += [f"{name}-short" for name in names] if short else []
    return frozenset(name.replace("-", "_") for name in names)


def _united(parts: list[Keys]) -> Keys:
    if any(part is None for part in parts):
        return None
    return frozenset().union(*parts)  # type: ignore[arg-type]


def _unrendered(found: Shape) -> bool:
    """Whether an element that would render nothing may be left unrendered: what it would
    have told the enclosing group (``variables``: that a variable was called) is told
    here, or already known."""
    if variables.empty_render_is_silent():
        return True
    if found.certain:
        variables.variable_called()
        return True
    return False


def _left_out(judge: list[Callable[[Any], bool | None] | None], needs: Keys,
              required: Shape, item: Any) -> bool:
    """Whether an element renders nothing for the item and may go unwalked: judged silent
    (``silence``), or none of its variables there (``Shape``). What rendering it would
    have told the enclosing group is told."""
    quiet = judge[0]
    if quiet is not None:
        called = quiet(item)
        if called is None:
            return False
        if called:
            variables.variable_called()
        return True
    return needs is not None and needs.isdisjoint(item.reference.keys()) \
        and _unrendered(required)


def _cached(build: Callable[[Any], Render]) -> Callable[[Any], Render]:
    """One closure per element, kept on it (``Engine`` keeps every element's proxy alive)."""
    slot = f"_kz_{build.__name__}"

    def built(element: Any) -> Render:
        found = element.__dict__.get(slot)
        if found is None:
            found = element.__dict__[slot] = build(element)
        return found  # type: ignore[no-any-return]
    return built


def _steps(parent: Any) -> tuple[tuple[Render, bool], ...]:
    """The children's renderers, each with whether it is a cs:choose (given the delimiter)."""
    return tuple((_renderer(child), isinstance(child, Choose))
                 for child in speed.children(parent))


@_cached
def _children(parent: Any) -> Render:
    """``Parent.render_children`` (``speed``): children in turn, a cs:choose given the
    delimiter, what rendered joined by it."""
    steps = _steps(parent)

    def render_children(item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        output = []
        for render, choose in steps:
            try:
                if choose:
                    rendered = render(item, delimiter=delimiter, **kwargs)
                else:
                    rendered = render(item, **kwargs)
            except VariableError:
                continue
            if rendered is not None:
                output.append(rendered)
        return join(output, delimiter) if output else None
    return render_children


@_cached
def _group(group: Any) -> Render:
    """A cs:group: its formatting recorded (``text``), its children rendered, left out when
    it called variables and none rendered (``variables``), joined, affixed, formatted."""
    steps = _steps(group)
    delimiter = group.get("delimiter", "")
    markup = _markup(group)
    adds = text.adds_formatting(group)
    required = shape(group)
    needs = required.needs
    judge = silence.quiet(group)

    def render(item: Any, context: Any = None, **kwargs: Any) -> Any:
        if _left_out(judge, needs, required, item):
            raise VariableError  # what a group that rendered nothing raises
        styled = text.entered(group) if adds else None
        try:
            frame, token = variables.group_opened()
            output = []
            try:
                for render_child, choose in steps:
                    try:
                        if choose:
                            rendered = render_child(item, context=context, delimiter=delimiter,
                                                    **kwargs)
                        else:
                            rendered = render_child(item, context=context, **kwargs)
                    except VariableError:
                        continue
                    if rendered is not None:
                        output.append(rendered)
            finally:
                variables.group_closed(token)
            if not variables.group_shown(frame, bool(output)):
                raise VariableError
            return markup(_joined(output, delimiter))
        finally:
            text.left(styled)
    return render


def _markup(group: Any) -> Callable[[Any], Any]:
    """``Group.markup`` (format, then wrap); for a group with neither formatting nor
    affixes, a plain text as it is (what ``speed``'s format and wrap give it)."""
    if not speed.plain_element(group):
        return group.markup  # type: ignore[no-any-return]
    markup = group.markup

    def plain(rendered: Any) -> Any:
        if not rendered:
            return None
        return rendered if type(rendered) in (str, String) else markup(rendered)
    return plain


def _joined(output: list[Any], delimiter: str) -> Any:
    """citeproc-py's ``Delimited.join``: an empty string when the parts do not join."""
    try:
        return join(output, delimiter)
    except Exception:  # as citeproc-py: whatever fails to join renders empty
        return String("")


@_cached
def _choose(choose: Any) -> Render:
    """A cs:choose (``speed``'s, without ConditionFailed for plain tests): the first branch
    whose test holds, found through the remembered branch of its plan when it has one;
    the children of a branch rendered here, as ``_children`` renders them."""
    branches = tuple(_branch(child) for child in speed.children(choose))
    plan = speed.choose_plan(choose)
    plan_mask = silence.plan_mask(choose)
    taken: dict[int, int] = {}  # the branch each combination of type and variables takes
    required = shape(choose)
    needs = required.needs
    judge = silence.quiet(choose)

    def render(item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if _left_out(judge, needs, required, item):
            return None
        start = 0
        if plan_mask is not None:
            key = silence.presence(item.reference) & plan_mask
            start = taken.get(key, -1)
            if start < 0:
                start = taken[key] = speed.first_branch(choose, item, context)
        elif plan is not None:
            variables_read, by_tuple = plan
            reference = item.reference
            found = (reference.type, *map(reference.__contains__, variables_read))
            start = by_tuple.get(found, -1)
            if start < 0:
                start = by_tuple[found] = speed.first_branch(choose, item, context)
        for index in range(start, len(branches)):
            holds, steps = branches[index]
            if holds is not None and not holds(item, context):
                continue
            if not isinstance(steps, tuple):  # a cs:if that tests itself
                try:
                    return steps(item, context=context, delimiter=delimiter, **kwargs)
                except ConditionFailed:
                    continue
            output = []  # the loop of ``_children`` and ``_group``, written out again on
            for render_child, is_choose in steps:  # purpose: a call less per branch taken
                try:
                    if is_choose:
                        rendered = render_child(item, context=context, delimiter=delimiter,
                                                **kwargs)
                    else:
                        rendered = render_child(item, context=context, **kwargs)
                except VariableError:
                    continue
                if rendered is not None:
                    output.append(rendered)
            return join(output, delimiter) if output else None
        return None
    return render


Steps = tuple[tuple[Render, bool], ...]


def _branch(branch: Any) -> tuple[Callable[[Any, Any], bool] | None, Steps | Render]:
    """A branch: its test when tested here (None: cs:else, or a cs:if that tests itself
    and raises ConditionFailed), and its children's steps — or, for a cs:if that tests
    itself, its own ``render``."""
    if isinstance(branch, If) and speed.plain_if(branch):
        return (lambda item, context: speed.if_holds(branch, item, context)), _steps(branch)
    if isinstance(branch, If):
        return None, branch.render
    return None, _steps(branch)


@_cached
def _text(element: Any) -> Render:
    """A cs:text (``text``'s formatting and language recorded, then ``speed``'s process:
    a variable's value, a macro's children with the call as their context — sort options
    are not passed on, as in citeproc-py —, a term or value as citeproc-py renders it),
    then its own markup (case, quotes, formatting, affixes: ``text.markup``)."""
    kind = speed.text_kind(element)
    if kind == "macro":
        return _macro_call(element)
    markup = element.markup
    adds = text.adds_formatting(element)
    default_language = element.get_root().get("default-locale", "en")[:2]
    variable = kind == "variable"

    def render(item: Any, context: Any = None, **kwargs: Any) -> Any:
        styled = text.entered(element, item) if adds or not text.language_known() else None
        try:
            if not variable:
                return markup(*speed.original_text_process(element, item, context, **kwargs))
            try:
                language = item.reference.language[:2]
            except VariableError:
                language = default_language
            return markup(element._variable(item, element if context is None else context),
                          language)
        finally:
            text.left(styled)
    return render


def _macro_call(call: Any) -> Render:
    """cs:text macro="…": ``_text`` for a macro, left unrendered when the reference has
    none of its variables (``_unrendered``). The call is a group, as citeproc-js expands
    it (``CSL.expandMacro``): left out when it called variables and none rendered, and,
    printed, a rendered variable of the group around it (``variables.group_shown``)."""
    markup = call.markup
    adds = text.adds_formatting(call)
    default_language = call.get_root().get("default-locale", "en")[:2]
    macro = call.get_macro(call.get("macro"))
    required = shape(call)
    needs = required.needs
    judge = silence.quiet(call)
    macro_children: list[Render] = []  # found at the first render: macros call macros

    def render(item: Any, context: Any = None, **kwargs: Any) -> Any:
        if _left_out(judge, needs, required, item):
            return None
        styled = text.entered(call, item) if adds or not text.language_known() else None
        try:
            try:
                language = item.reference.language[:2]
            except VariableError:
                language = default_language
            if not macro_children:
                macro_children.append(_children(macro))
            rendered = variables.as_group(macro_children[0], item,
                                          context=call if context is None else context,
                                          sort_options=None)
            return None if rendered is None else markup(rendered, language)
        finally:
            text.left(styled)
    return render


# --- installing --------------------------------------------------------------------------------

def _group_render(self: Any, item: Any, **kwargs: Any) -> Any:
    return _group(self)(item, **kwargs)


def _choose_render(self: Any, item: Any, **kwargs: Any) -> Any:
    return _choose(self)(item, **kwargs)


def _render_children(self: Any, item: Any, **kwargs: Any) -> Any:
    if isinstance(self, Names):  # its children may still change (``speed.children``)
        return speed.render_children_listed(self, item, **kwargs)
    return _children(self)(item, **kwargs)


_layered_text_render = Text.render


def _text_render(self: Any, *args: Any, **kwargs: Any) -> Any:
    if args:
        return _text(self)(*args, **kwargs)
    return _layered_text_render(self, *args, **kwargs)


def _fused_chain() -> bool:
    """Whether the methods the closures stand for are the mends they were written from."""
    return (Group.render is text.group_render
            and Group.process is variables.group_process
            and speed.citeproc_own(Group, "markup")
            and Choose.render is speed.choose_render
            and Parent.render_children is speed.render_children_listed
            and Text.render is text.text_render
            and Text.process is speed.text_process
            and Text.markup is text.markup
            and If.render is disambiguation.if_render)


_INSTALLED = ((Group, "render", _group_render), (Choose, "render", _choose_render),
              (Parent, "render_children", _render_children), (Text, "render", _text_render))
_chain: list[tuple[type, str, Any]] = []
"""The methods the closures stand in for, while they are installed."""


def apply() -> bool:
    """Install the closures (``csl`` calls this after ``speed.apply``); False when the
    chain is not the one they fuse, and nothing was installed."""
    if _chain:
        return True
    if not _fused_chain():
        return False
    for owner, name, closure in _INSTALLED:
        _chain.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, closure)
    return True


@contextmanager
def layered() -> Iterator[None]:
    """Render through the chain of mends the closures stand for (tests, the style survey
    compare the two); elements rendered meanwhile keep no closure."""
    chain = list(_chain)
    for owner, name, method in chain:
        setattr(owner, name, method)
    _chain.clear()
    try:
        yield
    finally:
        if chain:
            apply()
