"""CSL rules decided by the variables a cite actually rendered, as citeproc-js applies them.

citeproc-py 0.11 decides both from the style's markup alone; citeproc-js (the reference,
see tests/oracle) follows each variable as it renders. Imported (and so applied) by the
package's ``__init__``; tested in tests/unit/test_csl_structure.py.

* GROUP_SUPPRESSION — ``group_process``: a cs:group is left out when it called a
  variable and every variable it called was empty (CSL 1.0.2 "Group"). citeproc-py asks
  ``calls_variable()`` of each child, which looks at every branch of a cs:choose and
  calls any nested cs:group a variable, so APA printed "(Publication)" alone.
* SUBSTITUTE — ``_substitute_render``, ``_names_process``: what a cs:substitute rendered
  is not rendered again in the cite or entry ("Substituted variables are suppressed in the
  rest of the output"), and a cs:names without cs:name anywhere inside cs:substitute takes
  the cs:name, cs:et-al and cs:label of the cs:names it substitutes for. citeproc-py
  suppressed only a cs:text whose own ``variable`` was substituted (never names, never
  what a macro rendered: the title printed twice, the editors again as "ed. J. Roe"), and
  lent the parent's options only to a cs:names directly under cs:substitute (Chicago
  nests them in cs:choose: "J. Roe, M. Poe" instead of "Roe and Poe"). In a cs:sort
  key a name's cs:label is left out (citeproc-js keys names alone): an edited book sorts
  among its editor's own, not after them as "Doe, John ed" did. A hyphenated name
  variable (container-author, reviewed-author) is looked up as the reference keys it
  ("container_author"); citeproc-py never printed one. Editors who are the translators
  print once, unless the style empties the "editortranslator" term. A term or value is
  the substitution even where the style emptied it (``_settles``).

A macro call is such a group too (citeproc-js expands a macro as one; ``structure``'s
``_macro_call``): McGill's edition macro printed a bare "ed" for books without an edition.

Elements that render a variable (cs:text, cs:number, cs:date, cs:names) report each one
to ``_report``; cs:label, terms and values do not call variables, as in citeproc-js. A
cs:date counts by what it printed (a year-only date under a month date-part is empty).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from citeproc.model import (
    Choose,
    CitationStylesElement,
    Date,
    Group,
    Names,
    Number,
    Substitute,
    Text,
    VariableError,
)


@dataclass
class _GroupFrame:
    """What the cs:group being rendered has seen of its variables so far."""

    attempted: bool = False
    rendered: bool = False


_GROUP: contextvars.ContextVar[_GroupFrame | None] = contextvars.ContextVar(
    "kz_group", default=None)
_SUBSTITUTING: contextvars.ContextVar[int] = contextvars.ContextVar("kz_substituting", default=0)
"""How many cs:substitute elements are rendering: what renders inside one is used up."""
_SUBSTITUTED = "kz-substituted"
"""Key in the layout's ``repressed`` dict, which citeproc-py empties for every cite and
entry (and every sort key): the variables substituted so far, not to render again."""
_NOT_CALLS = frozenset({"year-suffix"})
"""Generated variables citeproc-py does not count as called (``Text.generated_variables``)."""


def _report(context: Any, variable: str, filled: bool) -> None:
    """A rendering element called ``variable``; ``filled``: the cite has a value for it.

    Whether a value it printed nothing of counts is the element's (``_reporting``); inside
    cs:substitute the variable is used up at once, so it is not rendered again even by the
    same substitute.
    """
    frame = _GROUP.get()
    if frame is not None:
        frame.attempted = True
        frame.rendered = frame.rendered or filled
    if filled and _SUBSTITUTING.get():
        _substituted(context).add(variable)


def _substituted(context: Any) -> set[str]:
    """The variables a cs:substitute has used in the cite or entry being rendered.

    The context's layout is kept on it (an XPath look-up per variable is slow; ``Engine``
    keeps every element's proxy alive)."""
    layout = context.__dict__.get("_kz_layout")
    if layout is None:
        try:
            layout = context.__dict__["_kz_layout"] = context.get_layout()
        except IndexError:  # not under a layout: nothing rendered yet to repeat
            return set()
    repressed = layout.__dict__.setdefault("repressed", {})
    substituted: set[str] = repressed.setdefault(_SUBSTITUTED, set())
    return substituted


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _has_value(item: Any, variable: str) -> bool:
    try:
        return _filled(item.reference[variable.replace("-", "_")])
    except (VariableError, KeyError):
        return False


# --- reports from cs:text, cs:number, cs:date ----------------------------------------------

_original_text_variable = Text._variable


def _text_variable(self: Any, item: Any, context: Any) -> Any:
    """A cs:text variable's value, unless a cs:substitute used it; reported either way."""
    variable = self.get("variable")
    if variable in _NOT_CALLS:
        return _original_text_variable(self, item, context)
    if variable in _substituted(context):
        _report(context, variable, False)
        return None
    try:
        value = _original_text_variable(self, item, context)
    except Exception:
        _report(context, variable, False)
        raise
    _report(context, variable, _filled(value))
    return value


def _reporting(render: Callable[..., Any], counts_unprinted: bool) -> Callable[..., Any]:
    """cs:number's and cs:date's ``render``: suppressed when substituted, then reported;
    a value it printed nothing of counts as filled when COUNTS_UNPRINTED (cs:number).
    citeproc-js counts a cs:date by what it printed: a year-only date under a date-part
    "month" is empty, and the group holding it is left out (the CSL test suite's
    group_SuppressTermWhenNoOutputFromPartialDate)."""
    def reported_render(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        variable = self.get("variable")
        if not variable:  # a locale's date format, rendered for a style's cs:date
            return render(self, item, *args, **kwargs)
        context = kwargs.get("context")
        context = self if context is None else context
        if variable in _substituted(context):
            _report(context, variable, False)
            return None
        text = None
        try:
            text = render(self, item, *args, **kwargs)
            return text
        finally:
            _report(context, variable,
                    _filled(text) or (counts_unprinted and _has_value(item, variable)))
    return reported_render


# --- GROUP_SUPPRESSION ----------------------------------------------------------------------

def group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """A cs:group, left out (VariableError) when it called variables and all were empty.

    A nested group counts as it does in citeproc-js: printed, it is a rendered variable of
    its parent; left out, it passes on that it called variables.
    """
    output = as_group(_rendered_children, self, item, context, kwargs)
    if output is None:
        raise VariableError
    return self.join(output)


def as_group(render: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What ``render`` gives, rendered as a cs:group's children are (its variables recorded
    on a frame of its own); None when that group would be left out. A macro call is such a
    group too (``structure._macro_call``, ``speed.text_process``)."""
    frame, token = group_opened()
    try:
        output = render(*args, **kwargs)
    finally:
        group_closed(token)
    return output if group_shown(frame, bool(output)) else None


def empty_render_is_silent() -> bool:
    """Whether an element that would render nothing may be left unrendered here: outside
    any group, or in one that already knows it called a variable (rendering it could only
    have told the group that)."""
    frame = _GROUP.get()
    return frame is None or frame.attempted


def variable_called() -> None:
    """Tell the group being rendered that a variable was called (and was empty): what an
    element left unrendered (``structure``) would have reported."""
    frame = _GROUP.get()
    if frame is not None:
        frame.attempted = True


def group_opened() -> tuple[_GroupFrame, contextvars.Token[_GroupFrame | None]]:
    """A cs:group starts rendering: what its children call is recorded on the frame; the
    token is for ``_GROUP.reset`` once they rendered."""
    frame = _GroupFrame()
    return frame, _GROUP.set(frame)


def group_closed(token: contextvars.Token[_GroupFrame | None]) -> None:
    _GROUP.reset(token)


def group_shown(frame: _GroupFrame, has_output: bool) -> bool:
    """Whether the group (its children rendered, ``group_closed``) is printed; what it
    called and printed is passed on to the group around it."""
    shown = has_output and (frame.rendered or not frame.attempted)
    parent = _GROUP.get()
    if parent is not None and shown:
        parent.rendered = True
    elif parent is not None:
        parent.attempted = parent.attempted or frame.attempted
    return shown


def _rendered_children(group: Any, item: Any, context: Any, kwargs: dict[str, Any]) -> list[Any]:
    """A group's children rendered; a cs:choose gets the group's delimiter (it is transparent)."""
    output = []
    for child in group.iterchildren():
        try:
            if isinstance(child, Choose):
                text = child.render(item, context=context, delimiter=group.get("delimiter", ""),
                                    **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        if text is not None:
            output.append(text)
    return output


# --- SUBSTITUTE -----------------------------------------------------------------------------

def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """The first child of cs:substitute that renders (what it rendered is used up); a
    term or value is the substitution even where it prints nothing (``_settles``)."""
    token = _SUBSTITUTING.set(_SUBSTITUTING.get() + 1)
    try:
        for child in self.iterchildren():
            try:
                text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text or _settles(child):
                return text or None
        return None
    finally:
        _SUBSTITUTING.reset(token)


def _settles(child: Any) -> bool:
    """Whether a child of cs:substitute ends it whatever it printed: a cs:text of a term
    or a value, which reads no variable. A term the style emptied (``<term
    name="editor"></term>``) is its way of printing nothing there, not a missing value to
    look past: citeproc-js stops there, and the CSL test suite holds it
    (substitute_SubstituteOnlyOnceTermEmpty)."""
    return isinstance(child, Text) and (child.get("term") is not None
                                        or child.get("value") is not None)


def _names_context(names: Any) -> Any:
    """The cs:names whose cs:name, cs:et-al and cs:label ``names`` renders with: its own,
    or, for one without cs:name inside a cs:substitute, the substituted cs:names' (CSL:
    the short-hand cs:names inherits them), at any depth of cs:choose.

    Found once per element (``Engine`` keeps every proxy alive): a cs:name is only ever
    appended (``_name_element``) to the cs:names this returns, which leaves the answer
    as it was."""
    found = names.__dict__.get("_kz_names_context")
    if found is None:
        found = names.__dict__["_kz_names_context"] = _names_context_found(names)
    return found


def _names_context_found(names: Any) -> Any:
    if child_named(names, "name") is not None:
        return names
    parents = names.xpath_search("ancestor::cs:substitute[1]/parent::cs:names")
    return _names_context(parents[0]) if parents else names


def _name_element(names_context: Any) -> Any:
    """The cs:name to render with; a cs:names without one gets a plain cs:name appended
    (citeproc-js appends it too, so a cs:label before it stays a prefix)."""
    name = child_named(names_context, "name")
    if name is None:
        name = names_context.makeelement(f"{{{names_context.nsmap['cs']}}}name", {})
        names_context.append(name)
        names_context.__dict__["_kz_child_named"]["name"] = name
    return name


def _names_process(self: Any, item: Any, names_context: Any = None, context: Any = None,
                   **kwargs: Any) -> Any:
    """cs:names without the variables a cs:substitute used, else with its own substitute."""
    context = self if context is None else context
    names_context = _names_context(self) if names_context is None else names_context
    used = _substituted(context)
    roles = [role for role in self.get("variable").split() if role not in used]
    roles, editor_translator = _merged_editor_translator(self, item, roles)
    output = []
    for role in roles:
        text = _rendered_role(item, role, names_context, context, editor_translator, kwargs)
        _report(context, role, text is not None)
        if text is not None:
            output.append(text)
    if output:
        if all(isinstance(text, int) for text in output):  # form="count"
            total = sum(output)
            return str(total) if total > 0 else None
        return self.join(output, self.get_parent_delimiter(context))
    substitute = child_named(self, "substitute")
    if substitute is None:
        raise VariableError
    return substitute.render(item, context=context, **kwargs)


def child_named(element: Any, tag: str) -> Any:
    """The element's first cs:TAG child, or None, found once (an lxml ``find`` on every render
    was a fifth of rendering names). ``speed``'s ``element.tag``
    look-up does the same for every element but cs:names, to which ``_name_element`` may
    still add a cs:name: here that addition is recorded. ``Engine`` keeps every proxy alive."""
    found = element.__dict__.setdefault("_kz_child_named", {})
    if tag not in found:
        found[tag] = element.find(f"cs:{tag}", element.nsmap)
    return found[tag]


def _merged_editor_translator(names: Any, item: Any, roles: list[str]) -> tuple[list[str], bool]:
    """Editors who are also the translators print once, labelled "editortranslator"
    (CSL), when the locale has that term, and not as an empty one (a style emptying it
    asks for both roles, as citeproc-js prints them)."""
    if set(roles) != {"editor", "translator"}:
        return roles, False
    reference = item.reference
    same = ("editor" in reference and "translator" in reference
            and reference.editor == reference.translator)
    if same and _filled(names.get_single_term("editortranslator")):
        return ["editor"], True
    return roles, False


def _rendered_role(item: Any, role: str, names_context: Any, context: Any,
                   editor_translator: bool, kwargs: dict[str, Any]) -> Any:
    """One name variable with its label, None when the reference has no such names.

    The reference keys a hyphenated variable with an underscore ("container_author"):
    citeproc-py asked for "container-author" and never printed one."""
    key = role.replace("-", "_")
    if key not in item.reference:
        return None
    text = _name_element(names_context).render(item, key, context=context, **kwargs)
    label = child_named(names_context, "label")
    if label is None or text is None or kwargs.get("sort_options") is not None:
        return text  # a sort key keys the names alone, as citeproc-js: no "ed." in it
    plural = len(item.reference[key]) > 1
    term = "editortranslator" if editor_translator else role
    label_text = label.render(item, term, plural, **kwargs)
    if label_text is None:
        return text
    first = next(iter(names_context.iterchildren()))
    return label_text + text if label is first else text + label_text


Text._variable = _text_variable
Number.render = _reporting(CitationStylesElement.render, counts_unprinted=True)
Date.render = _reporting(CitationStylesElement.render, counts_unprinted=False)
Group.process = group_process
Substitute.render = _substitute_render
Names.process = _names_process
