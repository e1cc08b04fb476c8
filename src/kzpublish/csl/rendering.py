"""Mends to citeproc-py 0.11's rendering of single CSL elements, found by the oracle.

Each mend names the oracle cause it removes (tests/oracle/known.py CAUSES) and is
tested in tests/unit/test_csl_rendering.py. Imported (and so applied) by the
package's ``__init__``.

* INITIALIZE_FALSE — ``_initialize``: cs:name's ``initialize="false"``;
* IS_NUMERIC_LOCATOR — ``_is_numeric``: ``is-numeric="locator"`` tests the cite's locator,
  a lower-case roman numeral a number as citeproc-js has it ("p. iv");
* EMPTY_LABEL — ``_label_process``: a cs:label without its variable renders nothing;
* SUB_VERBO (bugreports_MovePunctuationInsideQuotesForLocator) — ``_label_process``: the
  locator label "sub verbo" prints the locale's "sub-verbo" term ("s.v. “gargoyle”");
* LABEL_TEXT_CASE — ``_label_markup``: ``text-case="title"`` on a label's term;
* DISPLAY_LEFT_MARGIN — ``_render_bibliography``: ``second-field-align`` parts the first
  field (``csl-left-margin``) from the rest (``csl-right-inline``);
* DISPLAY_BLOCKS — ``_displayed_entry``: a bibliography layout's child with ``display``
  ("block", "left-margin", "right-inline", "indent") is set in a block of that class (an
  author as a heading above the entries: it ran into the year, "John Doe1999Title");
* CAPITALIZE_FIRST_MIXED — ``_case``: capitalize-first leaves "arXiv" alone;
* PLURAL — ``Label.RE_MULTIPLE_NUMBERS``, ``_is_plural``: "US 5,123,456" and "00:42:10"
  are one number, "iv-x", "213, and 235" and "213 et 235" (the locale's "and") two; the
  numbers after an embedded label are not the label's ("vol. 1, fol. 186, 8 April 1544");
* UNEXPLAINED (IEEE "т. 5, 20 тт.") — ``_number_process``: cs:number of "number-of-volumes";
* NUMBER_LABELS (number_OrdinalSpacing) — ``_labelled_numbers``: a number variable's part
  that opens with a word ("7, p. 3-8") is no number of the form, its locator label the
  locale's term ("7th, pp. 3–8"), as citeproc-js prints it;
* PUNCTUATION_IN_QUOTE — ``_render_citation``, ``_render_bibliography``: the locale's
  ``punctuation-in-quote`` moves a period or comma inside the closing quote, not inside
  the author's own quotes in a cite's prefix or suffix (``kept_quotes``);
* TERM_FALLBACK — ``_get_term``, ``find_term``: a term form missing in the book's locale
  falls back to another form of that locale before another locale;
* PAGE_RANGE — ``_format_last_page``, ``_page_range``: a page range written short
  ("100-4") is read in full before the style's page-range-format shortens it again
  ("100–104" in Chicago); chicago-16 has no four-digit rule ("1496–500"); a last page
  longer than the first is printed whole; pages with a prefix ("n11564-n1568") are a
  range when both sides share it, else printed as written ("N110-5"), as citeproc-js
  (the CSL test suite's page_* fixtures); numbers joined by an (escaped) ampersand are
  formatted each ("142–45 & 235", not "& amp; 235").

* LOCATOR_TEXT (the CSL test suite's locator_* and label_* fixtures) — ``_text_variable``:
  a cs:text locator trimmed, its number ranges joined by the range delimiter without
  spaces (a page range in the style's page-range-format), "&" the locale's symbol, an
  escaped hyphen a hyphen, as citeproc-js reads a locator.

* NUMBER_RANGE (fullstyles_ABdNT) — ``_number_ranges``: cs:text of a volume, issue,
  edition or number made of numbers joins a range by the locale's page-range-delimiter
  ("n. 3–4"), collection-number by its year-range-delimiter, as citeproc-js does.

* BLANK_TERM — ``_term_text``: a term holding only white space (a style's
  ``<term name="and others">`` over two lines) is empty, as citeproc-js's XML reading
  leaves it: citeproc-py printed the line break and spaces ("Иванов И.И. .").

* ORDINAL — ``_to_ordinal``: ordinal suffixes by CSL 1.0.2's matching, in the gender of
  the number's term, the style's ordinal terms a set of their own.

PARTICLE_SORT (names in sort keys) is with the other particle rules, in ``names``.

GROUP_SUPPRESSION and SUBSTITUTE, which depend on what rendered, are in ``variables``.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Sequence
from typing import Any

import citeproc.model
from citeproc.formatter.html import TagWrapper
from citeproc.model import (
    Choose,
    CitationStylesElement,
    Date_Part,
    FormatNumber,
    If,
    Label,
    Layout,
    Locale,
    Name,
    Number,
    Term,
    Text,
    TextCased,
    VariableError,
)
from citeproc.string import String, join

from ..cite_syntax import LOCATOR_LABELS
from . import namelist
from .locales import memo_for_list_in_use

_OPTIONS_PARENT = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"


# --- INITIALIZE_FALSE ---------------------------------------------------------------------

def _inherited(element: Any, name: str, context: Any, default: str) -> str:
    """An inheritable name option: cs:name, then cs:citation/cs:bibliography, then cs:style."""
    if name in element.attrib:
        return str(element.get(name))
    parents = (context if context is not None else element).xpath_search(_OPTIONS_PARENT)
    for holder in [*parents[:1], element.get_root()]:
        if name in holder.attrib:
            return str(holder.get(name))
    return default


def normalise_initials(given: str, mark: str) -> str:
    """Full given names kept, initials among them written with ``mark`` ("David E" → "David E.")."""
    return namelist.initialize(given, mark, normalize_only=True)


def _initialize(self: Any, given: str, mark: str, context: Any) -> str:
    """Honour ``initialize="false"`` (INITIALIZE_FALSE: Chicago's full given names), and
    initialise as citeproc-js does (``namelist.initialize``).

    citeproc-py initialises whenever initialize-with is set. CSL 1.0.2: with
    initialize="false", given names stay whole; only names already written as
    initials get initialize-with.
    """
    return namelist.initialize(
        given, mark, hyphen=bool(self.get_option("initialize-with-hyphen", context)),
        normalize_only=_inherited(self, "initialize", context, "true").lower() == "false")


# --- IS_NUMERIC_LOCATOR -------------------------------------------------------------------

_ROMAN = r"[ivx]+"
"""A lower-case roman page number ("iv", "xii") as citeproc-js counts one numeric: of the
letters i, v and x only ("IV", "mcmxc" are words to it)."""
_NUMBER = rf"(?:[A-Za-z]*\d+[A-Za-z]*|{_ROMAN})"
_NUMERIC = re.compile(rf"{_NUMBER}(?:\s*(?:[-–,&]|and)\s*{_NUMBER})*")


def _is_numeric(self: Any, item: Any) -> list[bool]:
    """``is-numeric="locator"`` tests the cite's locator (IS_NUMERIC_LOCATOR).

    citeproc-py looks the locator up in the reference, never finds it, and so drops the
    label ("Chapter 3" → "3"). A locator is numeric as CSL says: numbers, optionally
    joined by "-", ",", "&"; other variables keep citeproc-py's test. A lower-case roman
    numeral is a number too, as citeproc-js reads it (``_ROMAN``: "p. iv", where we printed
    "iv"). citeproc-js also takes any word that starts with i, v or x for one ("p. via",
    "p. xyz"), and a list whose first part alone is a number ("pp. 5-abc"): quirks against
    CSL 1.0.2 ("second" tests false), not followed.
    """
    results = []
    for variable in self.get("is-numeric").split():
        if variable == "locator":
            value = str(item.locator.identifier).strip() if item.has_locator else ""
            results.append(bool(_NUMERIC.fullmatch(value)))
        else:
            key = variable.replace("-", "_")
            results.append(key in item.reference
                           and bool(self.re_numeric.match(str(item.reference[key]))))
    return results


# --- cs:number with a hyphenated variable ---------------------------------------------------

_original_number_process = Number.process


def _number_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """cs:number of a hyphenated variable ("number-of-volumes": IEEE's "20 тт."), and of
    one with labelled parts (``_labelled_numbers``).

    citeproc-py's reference keeps it as ``number_of_volumes`` and cs:number looks it up
    unchanged, so the group holding it vanished.
    """
    variable = self.get("variable", "")
    if variable in ("locator", "page-first"):
        return _original_number_process(self, item, context, **kwargs)
    value = item.reference[variable.replace("-", "_")]
    return _labelled_numbers(self, str(value), variable) or self._process(value, variable)


def _labelled_numbers(self: Any, value: str, variable: str) -> Any:
    """A number variable whose later parts open with a word ("7, p. 3-8"), as citeproc-js
    prints it: the numbers before them in the element's form ("7th"), each such part as
    written but for its ranges (an en dash) and a locator label the reader knows in a cite
    ("p.", "ch.", "fig."), printed as the locale's short term, plural for several numbers
    ("pp. 3–8"); its numbers are never ordinals (CSL 1.0.2: a number with a prefix is not
    one). None for a value without such parts; citeproc-py printed "7th, p. 3–8th"."""
    if "," not in value:
        return None
    parts = re.split(_WORD_PART.format(word=_and_word(self)), value)
    if len(parts) == 1 or not parts[0].strip():
        return None
    return join([_page_range(self, parts[0].strip(), variable)]
                + [_labelled_part(self, part) for part in parts[1:]], ", ")


def _labelled_part(self: Any, part: str) -> str:
    """One part that opens with a word: "p. 3-8" → "pp. 3–8" (``_labelled_numbers``)."""
    word, _, numbers = part.strip().partition(" ")
    numbers = _HYPHEN_BETWEEN_NUMBERS.sub("\u2013", numbers.strip())
    locator = LOCATOR_LABELS.get(word)
    if locator is None or not numbers:
        return f"{word} {numbers}".strip()
    several = _several_numbers(numbers, _and_word(self))
    term = (self.get_plural_term if several else self.get_single_term)(name=locator,
                                                                      form="short")
    return f"{term or word} {numbers}"


# --- LOCATOR_TEXT ---------------------------------------------------------------------------

_original_text_variable = Text._variable
_LOCATOR_JOINT = re.compile(r"(\s*(?:&amp;|&)\s*|,\s*)")
_NUMBER_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")
"""A range written with a hyphen; one written with an en dash ("170–72") citeproc-js
prints as written, its page-range-format not applied."""
_UNESCAPED_HYPHEN = re.compile(r"(?<!\\)-")
_HYPHEN_BETWEEN_NUMBERS = re.compile(r"(?<=\d)\s*-\s*(?=\d)")


_RANGED_NUMBERS = {"volume": "page-range-delimiter", "issue": "page-range-delimiter",
                   "edition": "page-range-delimiter", "number": "page-range-delimiter",
                   "collection-number": "year-range-delimiter"}
"""Number variables whose ranges citeproc-js joins by a locale's range delimiter when a
cs:text prints them, and that delimiter's term (en dash without one)."""
_NUMBERS_ONLY = re.compile(r"\d+(?:\s*(?:-|,|&amp;|&)\s*\d+)*")
_HYPHEN_BETWEEN = re.compile(r"\s*-\s*")


def _text_variable(self: Any, item: Any, context: Any) -> Any:
    """cs:text of the locator as citeproc-js prints it (LOCATOR_TEXT), see ``_locator``;
    of a number variable with its ranges joined (NUMBER_RANGE, ``_number_ranges``)."""
    variable = self.get("variable")
    if variable == "locator":
        return _locator(self, item)
    text = _original_text_variable(self, item, context)
    if variable in _RANGED_NUMBERS and text is not None:
        return _number_ranges(self, text, _RANGED_NUMBERS[variable])
    return text


def _number_ranges(self: Any, text: Any, term: str) -> Any:
    """A number variable made only of numbers ("3-4", "1-3, 5") with each hyphen between
    two numbers the locale's range delimiter ("3–4"), as citeproc-js prints an issue or a
    volume in cs:text as in cs:number; anything else ("TR-2001-3") as written."""
    if not _NUMBERS_ONLY.fullmatch(str(text).strip()) or "-" not in str(text):
        return text
    delimiter = self.get_single_term(name=term) or "\u2013"
    return _HYPHEN_BETWEEN.sub(str(delimiter), str(text).strip())


def _locator(self: Any, item: Any) -> str:
    """The cite's locator read as numbers, as citeproc-js reads one (CSL 1.0.2 "Locators"):
    without surrounding spaces (" 666"); a range of numbers joined by the page range
    delimiter, no spaces ("100 - 103" → "100–103"), a range of pages (the label "page", the
    default) in the style's page-range-format ("427-30" → "427–430" expanded); numbers
    joined by "&" with the locale's "and" symbol between; an escaped hyphen ("327\\-30")
    printed as a hyphen, not read as a range. citeproc-py printed the locator as written,
    each hyphen an en dash.
    """
    text = str(item.locator.identifier).strip()
    page = (item.locator.label or "page") == "page"
    parts = _LOCATOR_JOINT.split(text)
    for index in range(0, len(parts), 2):
        parts[index] = _locator_part(self, parts[index], page)
    for index in range(1, len(parts), 2):
        if "&" in parts[index]:
            parts[index] = f" {_ampersand(self)} "
    return "".join(parts)


def _locator_part(self: Any, part: str, page: bool) -> str:
    """One number or range of a locator (``_locator``)."""
    found = _NUMBER_RANGE.fullmatch(part)
    if found is None and hyphenated_words(part.strip()):
        return part
    if found is None:
        return _UNESCAPED_HYPHEN.sub("\u2013", part).replace("\\-", "-")
    first, last = found.groups()
    if page:
        last = _format_last_page(self, first, last)
    delimiter = self.get_single_term(name="page-range-delimiter") or "\u2013"
    return f"{first}{delimiter}{last}"


def _ampersand(self: Any) -> str:
    """The locale's "and" symbol between numbers ("&" when it has none: citeproc-js takes a
    symbol form equal to the long one for a filled-in gap); escaped as the text it joins."""
    symbol = str(self.get_single_term("and", form="symbol") or "&")
    if symbol == str(self.get_single_term("and") or ""):
        symbol = "&"
    return symbol


# --- EMPTY_LABEL, LABEL_TEXT_CASE ------------------------------------------------------------

_original_label_process = Label.process


def _has_variable(item: Any, variable: str) -> bool:
    if variable == "locator":
        return bool(item.has_locator and str(item.locator.identifier).strip())
    try:
        value = item.reference[variable.replace("-", "_")]
    except (VariableError, KeyError):
        return False
    return value is not None and str(value).strip() != ""


def _label_process(self: Any, item: Any, variable: Any = None, *args: Any,
                   **kwargs: Any) -> Any:
    """A cs:label renders only when its variable is non-empty (EMPTY_LABEL: "Edition").

    The locator "sub verbo" (CSL 1.0.1's name, citeproc-py's and Pandoc's) is the term
    CSL 1.0.2 locales call "sub-verbo" (SUB_VERBO: "s.v." was dropped).

    cs:names passes its role as ``variable``; a standalone label names its own.
    """
    if variable is None and not _has_variable(item, self.get("variable", "")):
        return None
    if variable is None and self.get("variable") == "locator" and " " in item.locator.label:
        variable = item.locator.label.replace(" ", "-")  # SUB_VERBO
    return _original_label_process(self, item, variable, *args, **kwargs)


def _label_markup(self: Any, text: Any) -> Any:
    """Apply text-case to a label's term (LABEL_TEXT_CASE: "eds." → "Eds.").

    citeproc-py's ``case`` leaves title case to English items and a label passes no
    language, so APA's ``text-case="title"`` never applied; a term is the locale's
    own text, not item data, and citeproc-js title-cases it in every locale.
    """
    if not text:
        return None
    return self.wrap(self.format(self.case(self.strip_periods(text), "en")))


# --- CAPITALIZE_FIRST_MIXED, PLURAL ----------------------------------------------------------

_original_case = TextCased.case
_TAG = re.compile(r"<[^>]+>")


def _case(self: Any, text: Any, language: Any = None) -> Any:
    """capitalize-first leaves a first word that is not all lowercase (CAPITALIZE_FIRST_MIXED).

    CSL: "capitalizes the first character of the first word, if the word is lowercase";
    citeproc-py turned "arXiv" into "ArXiv".
    """
    if self.get("text-case") == "capitalize-first":
        words = _TAG.sub("", str(text)).split()
        if words and not words[0].islower():
            return text
    return _original_case(self, text, language)


# PLURAL: several numbers need a list or range separator between them: "-", "–", "&",
# "and", or a comma that does not set off thousands. "US 5,123,456" (one patent number) and
# "00:42:10" (one time) are single, as citeproc-js reads them; citeproc-py's
# ``\d+[^\d.]+\d+`` took them as several ("Nos.", "pp.").
# Roman page numbers ("iv-x", "ii, iii") count as numbers here too (``_ROMAN``).
Label.RE_MULTIPLE_NUMBERS = re.compile(
    rf"(?:\d|(?<![A-Za-z]){_ROMAN})\s*(?:[-–—&]|,(?!\d{{3}}(?:\D|$))|\band\b)\s*"
    rf"(?:[A-Za-z]*\d|{_ROMAN}(?![A-Za-z]))")
_NUMBER_AND_NUMBER = r"(?:\d|(?<![A-Za-z]){roman}),?\s*(?:&amp;|{word})\s*(?:[A-Za-z]*\d|{roman})"
# A comma, then a word that is neither a roman numeral nor the locale's "and" ({word}): an
# embedded label ("fig. 333", "fol. 186") or text, whose numbers are not the label's.
_WORD_PART = rf",\s*(?!{{word}})(?=[^\W\d_])(?!(?:{_ROMAN})(?![\w.]))"


def _is_plural(self: Any, item: Any) -> bool:
    """Two numbers joined by the locale's "and" ("213, and 235", "213 et 235") or by an
    escaped ampersand (reference data is escaped before it renders) are several; a count
    ("number-of-volumes": 2) is plural above one (PLURAL: citeproc-py looked the count up
    in the cite, not the reference, and its label vanished). Only the numbers before a
    part that opens with a word count, as citeproc-js counts them: that word is a label of
    its own or text ("vol. 1, fol. 186, 8 April 1544", "pp. 367–368, fig. 333")."""
    variable = self.get("variable")
    try:
        value = str(item.locator.identifier if variable == "locator"
                    else item.reference[variable.replace("-", "_")])
    except (VariableError, AttributeError, KeyError):
        return False
    if variable.startswith("number-of") and value.strip().isdigit():
        return int(value) > 1
    word = _and_word(self)
    return _several_numbers(re.split(_WORD_PART.format(word=word), value, maxsplit=1)[0],
                            word)


def _and_word(self: Any) -> str:
    """The locale's "and" as a regular expression of a whole word."""
    return rf"\b{re.escape(str(self.get_single_term('and') or 'and'))}\b"


def _several_numbers(value: str, word: str) -> bool:
    """Whether VALUE holds several numbers: a list or a range, or two joined by the
    locale's "and" (WORD, ``_and_word``) or an escaped ampersand."""
    if Label.RE_MULTIPLE_NUMBERS.search(value):
        return True
    return re.search(_NUMBER_AND_NUMBER.format(roman=_ROMAN, word=word), value) is not None


# --- DISPLAY_LEFT_MARGIN, DISPLAY_BLOCKS, PUNCTUATION_IN_QUOTE --------------------------------

class _LeftMargin(TagWrapper):
    tag = "span"
    attributes = {"class": "csl-left-margin"}  # noqa: RUF012 (TagWrapper's own API)


class _RightInline(TagWrapper):
    tag = "span"
    attributes = {"class": "csl-right-inline"}  # noqa: RUF012


_DISPLAYS = ("block", "left-margin", "right-inline", "indent")


class _Block(TagWrapper):
    tag = "div"
    attributes: dict[str, str] = {}  # noqa: RUF012 (TagWrapper's own API)


def _displayed(display: str | None, text: Any) -> Any:
    """A child of the layout in the block its ``display`` asks for (``csl-block``…), as
    citeproc-js sets it; a child without one as it is."""
    if display not in _DISPLAYS:
        return text
    block = type("_Block", (_Block,), {"attributes": {"class": f"csl-{display}"}})
    return block(text)


def _rendered_children(layout: Any, item: Any) -> list[tuple[Any, Any]]:
    """The layout's children rendered one by one, empty ones left out, each with its
    ``display``."""
    output = []
    for child in layout.iterchildren():
        try:
            text = (child.render(item, delimiter="") if isinstance(child, Choose)
                    else child.render(item))
        except VariableError:
            continue
        if text is not None:
            output.append((child.get("display"), text))
    return output


def _displayed_entry(layout: Any, item: Any) -> str | None:
    """One entry whose layout's children ask for display blocks (DISPLAY_BLOCKS): each
    such child in its block (``<div class="csl-block">…</div>``); the layout's suffix in
    the last block, as citeproc-js puts it, not on a line of its own after it."""
    layout.repressed = {}
    parts = _rendered_children(layout, item)
    if not parts:
        return None
    suffix = layout.get("suffix", "")
    if suffix and parts[-1][0] in _DISPLAYS:
        parts[-1] = (parts[-1][0], join([parts[-1][1], suffix]))
    blocks = join([_displayed(display, text) for display, text in parts],
                  layout.get("delimiter", ""))
    prefix = layout.get("prefix", "")
    return prefix + str(layout.format(blocks)) + ("" if parts[-1][0] in _DISPLAYS else suffix)


def _aligned_entry(layout: Any, item: Any) -> str | None:
    """One entry as ``<span csl-left-margin>[1]</span> <span csl-right-inline>…</span>``."""
    layout.repressed = {}
    parts = [text for _, text in _rendered_children(layout, item)]
    if not parts:
        return None
    margin = _LeftMargin(layout.format(parts[0]))
    if len(parts) == 1:
        return str(margin)
    return f"{margin} {_RightInline(layout.format(layout.wrap(join(parts[1:]))))}"


KEPT_QUOTE = "\ufdd0"
"""Marks a closing quote of the author's own text (a cite's prefix or suffix): a period or
comma after it stays where the author put it, as citeproc-js leaves an affix's quotes
(label_EditorTranslator2: 'Some title, “Hello there”.'). A Unicode noncharacter, which no
text holds; ``kept_quotes`` sets it, ``Engine.punctuate`` takes it out again."""


def kept_quotes(element: Any, html: str) -> str:
    """The author's HTML with each of the locale's closing quotes marked ``KEPT_QUOTE``."""
    closing = {str(element.get_single_term(name) or "")
               for name in ("close-quote", "close-inner-quote")} - {""}
    for mark in closing:
        html = html.replace(mark, mark + KEPT_QUOTE)
    return html


def punctuation_in_quote(element: Any, text: str) -> str:
    """Move a period or comma that follows closing quotes inside them, when the locale's
    ``punctuation-in-quote`` is "true" (en-US: ”. → .”, ’”. → .’”); not into the author's
    own quotes (``KEPT_QUOTE``).

    An inner closing quote that is also the apostrophe (’) counts only where it closes an
    inner opening quote (‘The One’ — not Jones’), as citeproc-js reads nested quotes.
    """
    option = element.get_locale_option("punctuation-in-quote") or "false"
    close = str(element.get_single_term("close-quote") or "")
    if option.lower() != "true" or not close:
        return text
    inner = (str(element.get_single_term("open-inner-quote") or ""),
             str(element.get_single_term("close-inner-quote") or ""))
    closing = [close]
    if all(inner) and inner[1] != close and inner[1] in text:
        closing.append(inner[1])
    marks = "|".join(re.escape(mark) for mark in closing)
    found = re.compile(rf"((?:(?:{marks})(?:</[a-z]+>)*)+)([.,])")
    inner_closes = _inner_closes(text, *inner) if len(closing) > 1 else set()

    def moved(match: re.Match[str]) -> str:
        run = match[1]
        for offset, character in enumerate(run):
            if character == close or match.start() + offset in inner_closes:
                return run[:offset] + match[2] + run[offset:]
        return match[0]

    return found.sub(moved, text)


def _inner_closes(text: str, opening: str, closing: str) -> set[int]:
    """Where ``closing`` closes an ``opening`` before it, not stands for an apostrophe
    ("Jones’", "don’t"): one quoted span after another, as they nest."""
    depth = 0
    closes = set()
    for index, character in enumerate(text):
        if character == opening:
            depth += 1
        elif character == closing and depth and not (
                text[index - 1:index].isalpha()
                and text[index + 1:index + 3].lstrip(KEPT_QUOTE)[:1].isalpha()):
            depth -= 1
            closes.add(index)
    return closes


_original_render_bibliography = Layout.render_bibliography
_original_render_citation = Layout.render_citation


def _render_bibliography(self: Any, citation_items: list[Any]) -> list[str]:
    """Entries with second-field-align parted (DISPLAY_LEFT_MARGIN), display blocks set
    (DISPLAY_BLOCKS) and punctuation moved into quotes (PUNCTUATION_IN_QUOTE).

    citeproc-py ignores second-field-align, so IEEE's "[1]" ran into "J. Smith";
    citeproc-js puts the first field and the rest in two blocks.
    """
    if self.getparent().get("second-field-align"):
        entries = [_aligned_entry(self, item) for item in citation_items]
        rendered = [entry for entry in entries if entry is not None]
    elif _asks_display(self):
        entries = [_displayed_entry(self, item) for item in citation_items]
        rendered = [entry for entry in entries if entry is not None]
    else:
        rendered = _original_render_bibliography(self, citation_items)
    return [punctuation_in_quote(self, str(text)) for text in rendered]


def _asks_display(layout: Any) -> bool:
    found = layout.__dict__.get("_kz_display")
    if found is None:
        found = layout.__dict__["_kz_display"] = any(
            child.get("display") in _DISPLAYS for child in layout.iterchildren())
    return bool(found)


def _render_citation(self: Any, citation: Any, callback: Callable[[Any], Any]) -> str:
    """A citation with punctuation moved into quotes (PUNCTUATION_IN_QUOTE)."""
    return punctuation_in_quote(self, str(_original_render_citation(self, citation, callback)))


# --- TERM_FALLBACK ----------------------------------------------------------------------------

_FORM_FALLBACKS: dict[str | None, tuple[str | None, ...]] = {
    "verb-short": ("verb-short", "verb", None),
    "symbol": ("symbol", "short", None),
    "verb": ("verb", None),
    "short": ("short", None),
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TermLookup = Callable[[Any, str | None], Any]
"""One locale's term in one form (None: long), or IndexError."""


def term_forms(form: str | None) -> tuple[str | None, ...]:
    """The forms to try for a term, in CSL's order: verb-short → verb → long,
    symbol → short → long, short → long (None stands for long)."""
    return _FORM_FALLBACKS.get(None if form == "long" else form, (None,))


def find_term(locales: Sequence[Any], form: str | None, lookup: TermLookup,
              fallback_locale: bool = True) -> Any:
    """A term from the first locale that has it, each form fallback tried in the book's
    language (in-style locales and its locale file) before the others (en-US).

    citeproc-py tries the one form in every locale, en-US included, before giving up, so
    ru's "version" (long only) printed en-US's short "v."; citeproc-js merges the
    language's locales and falls back to their long "версия".
    """
    own, others = _by_language(locales)
    for group in (own, others) if fallback_locale else (own,):
        for each_form in term_forms(form):
            for locale in group:
                try:
                    return lookup(locale, each_form)
                except IndexError:
                    continue
    return None


def _by_language(locales: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Locales of the book's language (the first one that names a language) and the rest;
    an in-style cs:locale without xml:lang belongs to the book's."""
    tags = [str(locale.get(_XML_LANG) or "") for locale in locales]
    language = next((tag.split("-")[0] for tag in tags if tag), "")
    own: list[Any] = []
    others: list[Any] = []
    for locale, tag in zip(locales, tags, strict=True):
        (own if not tag or tag.split("-")[0] == language else others).append(locale)
    return own, others


def _get_term(self: Any, name: str, form: str | None = None, fallback_locale: bool = True,
              zero_padded: bool = False) -> Any:
    """A style's (or a locale's) term with CSL's form fallback (TERM_FALLBACK)."""
    def lookup(locale: Any, each_form: str | None) -> Any:
        return locale.get_term(name, each_form, zero_padded=zero_padded)

    root = self.get_root()
    if isinstance(root, Locale):  # a locale's own dates: as citeproc-py, IndexError if none
        term = find_term([root], form, lookup)
        if term is None:
            raise IndexError(name)
        return term
    found = memo_for_list_in_use(root, "_kz_terms_found")
    key = (name, form, fallback_locale, zero_padded)
    if key not in found:  # every cs:text, cs:label and date asks again and again
        found[key] = find_term(root.locales, form, lookup, fallback_locale)
    return found[key]


# --- BLANK_TERM ------------------------------------------------------------------------------

def _term_text(form: property, slot: str) -> property:
    """Term.single or Term.multiple, empty when the term holds only white space; read once
    per term, as ``speed`` would have (it leaves a mended property alone)."""
    def text(self: Any) -> Any:
        if slot not in self.__dict__:
            value = form.__get__(self)
            self.__dict__[slot] = value if str(value).strip() else String("")
        return self.__dict__[slot]
    return property(text)


Term.single = _term_text(Term.single, "_kz_single")
Term.multiple = _term_text(Term.multiple, "_kz_multiple")


# --- ORDINAL -------------------------------------------------------------------------------

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


def _to_ordinal(number: int, context: Any) -> str:
    """NUMBER with its ordinal suffix chosen as CSL 1.0.2 "Ordinal Suffixes" says and
    citeproc-js does (ORDINAL): ordinal-10 to -99 (matching the last two digits, or the
    whole number), then ordinal-00 to -09 (the last digit, or what ``match`` says), then
    "ordinal"; each in the gender of the number's variable term ("1.º issue", "1.ª
    edition"), else the neuter one; and the ordinal terms a style defines replace the
    locale file's whole set, never mixed with them. citeproc-py took the first term of a
    name whatever its gender or ``match``, and filled the style's gaps from the file."""
    root = context.get_root()
    gender = _gender(context)
    found = memo_for_list_in_use(root, "_kz_ordinals")
    key = (number, gender)
    if key not in found:
        found[key] = _ordinal_suffix(number, _ordinal_locales(root.locales), gender)
    return f"{number}{found[key]}"


_DAY_OF_MONTH: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "kz_day_of_month", default=None)
"""The month of the day a cs:date-part is rendering: an ordinal day takes its gender."""


def _gender(context: Any) -> str | None:
    """The gender of the term of the variable a cs:number renders, or of the month of an
    ordinal day ("1er octobre": "octobre" is masculine); None: neuter."""
    month = _DAY_OF_MONTH.get()
    if context.tag == f"{_CSL_NS}number":
        name = context.get("variable")
    else:
        name = f"month-{month:02}" if month else None
    if not name:
        return None
    term = context.get_term(name)
    return None if term is None else term.get("gender")


_original_date_part_process = Date_Part.process


def _date_part_process(self: Any, date: Any, context: Any = None) -> Any:
    """A cs:date-part, its date's month known to an ordinal day's suffix (``_gender``)."""
    month = getattr(date, "month", None) if self.get("name") == "day" else None
    if not isinstance(month, int):
        return _original_date_part_process(self, date, context)
    token = _DAY_OF_MONTH.set(month)
    try:
        return _original_date_part_process(self, date, context)
    finally:
        _DAY_OF_MONTH.reset(token)


def _ordinal_locales(locales: Sequence[Any]) -> list[Any]:
    """The style's own locales when any of them defines an ordinal term, else the rest."""
    own = [locale for locale in locales if locale.getparent() is not None]
    if any(_ordinal_terms(locale) for locale in own):
        return own
    return [locale for locale in locales if locale.getparent() is None]


def _ordinal_terms(locale: Any) -> list[Any]:
    return [term for term in locale.iter(f"{_CSL_NS}term")
            if str(term.get("name", "")).startswith("ordinal") and term.get("form") is None]


def _ordinal_suffix(number: int, locales: list[Any], gender: str | None) -> str:
    """The suffix from the book's language's locales, else the others (en-US). Where the
    gender is not known (a day of a date), a gendered term stands in for a missing neuter
    one, as citeproc-py had it."""
    for group in _by_language(locales):
        for matches in (_two_digit_match, _one_digit_match, _plain_match):
            for locale in group:
                terms = [term for term in _ordinal_terms(locale) if matches(term, number)]
                chosen = _gendered(terms, gender)
                if chosen is not None:
                    return str(chosen.single)
    return ""


def _gendered(terms: list[Any], gender: str | None) -> Any:
    """The term of GENDER, else the neuter one, else (GENDER unknown) the first; None."""
    for wanted in (gender, None) if gender else (None,):
        for term in terms:
            if term.get("gender-form") == wanted:
                return term
    return terms[0] if terms and not gender else None


def _term_number(term: Any) -> int | None:
    suffix = str(term.get("name"))[len("ordinal-"):]
    return int(suffix) if len(suffix) == 2 and suffix.isdigit() else None


def _two_digit_match(term: Any, number: int) -> bool:
    digits = _term_number(term)
    if digits is None or digits < 10:
        return False
    return number == digits if term.get("match") == "whole-number" else number % 100 == digits


def _one_digit_match(term: Any, number: int) -> bool:
    digit = _term_number(term)
    if digit is None or digit >= 10:
        return False
    match = term.get("match", "last-digit")
    return {"whole-number": number, "last-two-digits": number % 100}.get(
        match, number % 10) == digit


def _plain_match(term: Any, number: int) -> bool:
    return term.get("name") == "ordinal"


# --- PAGE_RANGE ---------------------------------------------------------------------------

_original_format_last_page = FormatNumber._format_last_page
_original_format_number = FormatNumber._process
_PREFIXED_PAGE = re.compile(r"(\d*[^\W\d_]+)(\d+)")
"""A page with a prefix: "n1568", "8n11564" (its prefix "8n")."""
_PAGE_RANGE = re.compile(r"\s*(\S+?)\s*[-\u2013]\s*(\S+?)\s*")


_ROMAN_NUMERAL = re.compile(r"[ivxlcdm]+|[IVXLCDM]+")


def hyphenated_words(text: str) -> bool:
    """Words joined by hyphens ("Michaelson-Morely"), not roman numbers ("i-ix") nor
    single letters ("D-Z", a range as Pandoc prints it): a name, whose hyphen citeproc-js
    keeps, never a range."""
    parts = text.split("-")
    return len(parts) > 1 and all(part.isalpha() and len(part) > 1 for part in parts) \
        and not all(_ROMAN_NUMERAL.fullmatch(part) for part in parts)


def _page_range(self: Any, value: Any, variable: str) -> Any:
    """cs:text/cs:number of a number variable: pages and numbers joined by an escaped
    ampersand (reference data is escaped before it renders: citeproc-py cut "1 &amp; 2"
    at its "&"), prefixed pages as citeproc-js reads them (PAGE_RANGE); a hyphen escaped
    with a backslash ("3\\-B") or joining words ("Michaelson-Morely") printed as a hyphen,
    as citeproc-js does (citeproc-py made each a range: "3\\–B")."""
    if "\\-" in str(value):
        parts = [_page_range(self, part, variable) for part in str(value).split("\\-")]
        return join(parts, "-")
    if hyphenated_words(str(value).strip()):
        return value
    if "&amp;" in str(value):
        parts = [_page_range(self, part.strip(), variable) for part in str(value).split("&amp;")]
        return join(parts, " &amp; ")
    if variable != "page" or not _PREFIXED_PAGE.search(str(value)):
        return _original_format_number(self, value, variable)
    parts = [_prefixed_range(self, part) for part in str(value).split(",")]
    return join(parts, ", ")


def _prefixed_range(self: Any, text: str) -> Any:
    """One range of pages: "n11564-n1568" as a range, "N110 - 5" as written ("N110-5")."""
    whole = _PAGE_RANGE.fullmatch(text)
    if whole is None:
        return _original_format_number(self, text.strip(), "page")
    first, last = (_PREFIXED_PAGE.fullmatch(side) for side in whole.groups())
    if first is None or last is None or first[1] != last[1]:
        return f"{whole[1]}-{whole[2]}" if first or last else \
            _original_format_number(self, text.strip(), "page")
    shown = _format_last_page(self, first[2], last[2])
    prefix = last[1] if len(shown) >= len(last[2]) else ""  # a shortened page drops it
    delimiter = self.get_single_term(name="page-range-delimiter") or "\u2013"
    return f"{whole[1]}{delimiter}{prefix}{shown}"


def _format_last_page(self: Any, first: str, last: str) -> str:
    """The last page of a range as the style's page-range-format prints it (PAGE_RANGE)."""
    range_format = self.get_root().get_option("page-range-format")
    if range_format is None or not (first.isdigit() and last.isdigit()):
        return str(_original_format_last_page(self, first, last))
    if len(last) > len(first):
        return last
    last = first[: len(first) - len(last)] + last  # "100-4" means 100 to 104
    if range_format == "chicago-16":
        return _chicago_16(first, last)
    return str(_original_format_last_page(self, first, last))


def _chicago_16(first: str, last: str) -> str:
    """The Chicago Manual's 16th edition rule: all digits below 100 and after a hundred,
    the changed part after 101–109, at least two digits otherwise."""
    number = int(first)
    if number < 100 or number % 100 == 0:
        return last
    common = next((i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b),
                  len(first))
    return last[common:] if number % 100 < 10 else last[min(common, len(first) - 2):]


CitationStylesElement.get_term = _get_term
FormatNumber._format_last_page = _format_last_page
FormatNumber._process = _page_range
Name.initialize = _initialize
If._is_numeric = _is_numeric
Label.process = _label_process
Label._is_plural = _is_plural
Number.process = _number_process
Label.markup = _label_markup
Layout.render_bibliography = _render_bibliography
TextCased.case = _case
Layout.render_citation = _render_citation
citeproc.model.to_ordinal = _to_ordinal
Date_Part.process = _date_part_process
Text._variable = _text_variable
